import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { delimiter, join } from 'node:path';

/**
 * A real `redis-server` for one test file: its own port on 127.0.0.1, no persistence, stopped with the file. It can
 * be killed (SIGKILL) and started again on the same port, or frozen (SIGSTOP) to play a Redis that stopped answering.
 */
export interface RedisProcess {
  url: string;
  port: number;
  /** Kills it at once, as a crash would (its data is gone: it keeps nothing on disk). */
  kill(): Promise<void>;
  /** Starts it again on the same port, empty. */
  restart(): Promise<void>;
  /** Freezes it: connections stay open, nothing answers. */
  freeze(): void;
  thaw(): void;
  stop(): Promise<void>;
}

const SEARCH_PATH = ['/usr/bin', '/usr/sbin', '/usr/local/bin'];

/** Where `redis-server` is (PATH, then the usual Debian places), or undefined. */
export function findRedisServer(): string | undefined {
  for (const directory of [...(process.env.PATH ?? '').split(delimiter), ...SEARCH_PATH]) {
    if (!directory) continue;
    const candidate = join(directory, 'redis-server');
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function launch(binary: string, port: number): Promise<ChildProcess> {
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('Ready to accept connections')) {
        // Keep reading (and dropping) its log: a full pipe would stall Redis.
        child.stdout?.off('data', onData).resume();
        child.stderr?.off('data', onData).resume();
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output.trim().slice(-500)}`)));
  });
}

function stopped(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGCONT');
    child.kill(signal);
  });
}

export async function startRedis(binary = findRedisServer()): Promise<RedisProcess> {
  if (!binary) throw new Error('redis-server not found');
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    try {
      let child = await launch(binary, port);
      return {
        url: `redis://127.0.0.1:${port}`,
        port,
        kill: () => stopped(child, 'SIGKILL'),
        async restart() {
          await stopped(child, 'SIGKILL');
          child = await launch(binary, port);
        },
        freeze: () => void child.kill('SIGSTOP'),
        thaw: () => void child.kill('SIGCONT'),
        stop: () => stopped(child, 'SIGTERM'),
      };
    } catch (error) {
      // Another process took the port between our look and Redis's bind: try another.
      lastError = error;
    }
  }
  throw lastError;
}

/**
 * Redis for a test file, or undefined with a visible note when it cannot run here. In CI (`CI=true`) a missing or
 * failing Redis is an error: `.ci/run` installs it, so the tests that need it must run.
 */
export async function redisOrSkip(fileName: string): Promise<RedisProcess | undefined> {
  try {
    return await startRedis();
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.CI) throw new Error(`${fileName} needs Redis and CI must provide it: ${reason}`);
    console.warn(
      `\n  SKIPPED ${fileName}: Redis cannot be started here (${reason}); install redis-server (apt-get install redis-server) to run it\n`,
    );
    return undefined;
  }
}
