// A redis-server for the fleet benchmark: its own port on 127.0.0.1, no persistence, stopped at the end. The tests
// have their own helper (test/support/redis-server.ts); this one only starts and stops.
import { spawn } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';

function findRedisServer() {
  for (const directory of [...(process.env.PATH ?? '').split(delimiter), '/usr/bin', '/usr/sbin', '/usr/local/bin']) {
    if (!directory) continue;
    try {
      accessSync(join(directory, 'redis-server'), constants.X_OK);
      return join(directory, 'redis-server');
    } catch {
      // Not here.
    }
  }
  return undefined;
}

async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `{ url, stop }`, or undefined when redis-server is not installed. */
export async function startRedis() {
  const binary = findRedisServer();
  if (!binary) return undefined;
  const port = await freePort();
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await new Promise((resolve, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      if (output.includes('Ready to accept connections')) {
        child.stdout.removeAllListeners('data').resume();
        resolve();
      }
    });
    child.stderr.resume();
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output.slice(-300)}`)));
  });
  return {
    url: `redis://127.0.0.1:${port}`,
    pid: child.pid,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}
