import { execFileSync, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** A path relative to bench/, or an absolute one (another checkout's server, for a comparison of two commits). */
const here = (path) => (path.startsWith('/') ? path : fileURLToPath(new URL(`../${path}`, import.meta.url)));
const running = new Set();

/**
 * On a 2-core machine, servers run on core 0 and load generators on core 1, so they do not take turns on the same
 * core (the largest source of noise between runs). Where `taskset` is missing, nothing is pinned.
 */
export const SERVER_CPU = '0';
export const LOAD_CPU = '1';
function pin(pid, cpu) {
  try {
    execFileSync('taskset', ['-a', '-p', '-c', cpu, String(pid)], { stdio: 'ignore' });
  } catch {
    // No taskset, or a single core: run unpinned.
  }
}

/**
 * Starts a benchmark server in its own process and waits for its port. `launcher`: a program that runs Node itself,
 * `{ command, args }` (valgrind and its options, say), given Node's path and arguments after its own.
 */
export async function startServer(script, env = {}, execArgv = [], cpu = SERVER_CPU, launcher = undefined) {
  const child = fork(here(script), [], {
    ...(launcher
      ? { execPath: launcher.command, execArgv: [...launcher.args, process.execPath, ...execArgv] }
      : { execArgv }),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  running.add(child);
  const ready = await new Promise((resolve, reject) => {
    const onMessage = (message) => {
      if (message?.type === 'ready') {
        child.off('message', onMessage);
        resolve(message);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => reject(new Error(`${script} exited with ${code} before it was ready`)));
  });
  // Pinned once ready, so that every thread it started (libuv's pool included) follows.
  pin(child.pid, cpu);
  return {
    ...ready,
    child,
    url: `http://127.0.0.1:${ready.port}`,
    stats: () =>
      new Promise((resolve) => {
        const onMessage = (message) => {
          if (message?.type === 'stats') {
            child.off('message', onMessage);
            resolve(message);
          }
        };
        child.on('message', onMessage);
        child.send('stats');
      }),
    stop: () =>
      new Promise((resolve) => {
        running.delete(child);
        const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send('stop');
      }),
  };
}

/** Runs autocannon in a separate process (so the load's CPU is not the server's) and returns its summary. */
export function runLoad(options) {
  return new Promise((resolve, reject) => {
    const child = fork(here('load.mjs'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    pin(child.pid, LOAD_CPU);
    child.once('message', (result) => {
      child.kill();
      if (result.error) reject(new Error(result.error));
      else resolve(result);
    });
    child.once('error', reject);
    child.send(options);
  });
}

export function stopAll() {
  for (const child of running) child.kill('SIGKILL');
}
process.once('exit', stopAll);
