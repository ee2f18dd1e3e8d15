import { spawn, type ChildProcess } from 'node:child_process';
import { leakRegistry, recordOutput } from '../../support/secrets.js';

// Commands of the published-packages test, each bounded in time: a step that hangs fails with its output instead of
// holding the suite, and no process it started outlives it.

/** Output kept for an error message: its end says why a step failed. */
const KEPT_OUTPUT_CHARS = 6_000;
const STOP_TIMEOUT_MS = 5_000;

/** The text with every registered key and secret replaced: output may hold keys and is shown on failure. */
export function redacted(text: string): string {
  let clean = text;
  for (const secret of leakRegistry().secrets) clean = clean.split(secret).join('[secret]');
  return clean;
}

/** npm settings a user may give through the environment (a registry mirror, a cache folder), kept. */
const USER_NPM_SETTINGS = new Set(['npm_config_registry', 'npm_config_cache', 'npm_config_userconfig']);

/**
 * The environment of a command run as a user would run it in their own app: without the `npm_*` variables pnpm
 * passes to its scripts (its own settings, the workspace's package; a registry or cache set by the user stays), and
 * without vitest's NODE_ENV=test.
 */
export function userEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  for (const name of Object.keys(env)) {
    const pnpmSetting = /^(npm|pnpm)_/i.test(name) && !USER_NPM_SETTINGS.has(name.toLowerCase());
    if (pnpmSetting || name === 'NODE_ENV' || name === 'INIT_CWD') delete env[name];
  }
  return env;
}

const running = new Set<ChildProcess>();

/**
 * Signals the app's whole process group. An app runs in a group of its own because what is started may not be the
 * runtime itself: node_modules/.bin/bun and .bin/deno are shell scripts that start the binary as their child, and a
 * signal to the script alone would leave the runtime running.
 */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is gone already.
  }
}

// Should the test process end without closing an app (a crash, a timeout), its apps end with it.
process.once('exit', () => {
  for (const child of running) signalGroup(child, 'SIGKILL');
});

/**
 * Runs a command to its end within `timeoutMs`, in a process group of its own (npm runs scripts as children; a
 * timeout ends them all); rejects with its (redacted) output if it fails or times out.
 */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? userEnvironment(), stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    running.add(child);
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    child.stdout!.on('data', keep);
    child.stderr!.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child, 'SIGKILL');
    }, options.timeoutMs);
    const fail = (why: string) =>
      reject(new Error(`${command} ${args.join(' ')} in ${options.cwd} ${why}:\n${redacted(output.slice(-KEPT_OUTPUT_CHARS))}`));
    child.once('error', (error) => {
      clearTimeout(timer);
      running.delete(child);
      fail(`could not start (${error.message})`);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      running.delete(child);
      recordOutput(output);
      if (timedOut) return fail(`did not finish within ${options.timeoutMs} ms`);
      if (code === 0) return resolve(output);
      fail(`failed (${signal ?? code})`);
    });
  });
}

export interface RunningApp {
  /** `http://127.0.0.1:<port>`, as the app printed it (`listening <url>`). */
  url: string;
  /** What it wrote so far (the end of it), redacted. */
  output(): string;
  close(): Promise<void>;
}

function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  signalGroup(child, 'SIGTERM');
  if (!(await exited(child, STOP_TIMEOUT_MS))) {
    signalGroup(child, 'SIGKILL');
    await exited(child, STOP_TIMEOUT_MS);
  }
  // Whatever the app started and left behind goes with it.
  signalGroup(child, 'SIGKILL');
  running.delete(child);
}

/** Starts a server app in `cwd` and waits (at most `timeoutMs`) until it prints `listening <url>`. */
export async function startApp(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<RunningApp> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  let output = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    recordOutput(text);
    output = (output + text).slice(-KEPT_OUTPUT_CHARS);
  };
  child.stderr!.on('data', keep);
  const failure = (why: string) => new Error(`${command} ${args.join(' ')} ${why}; its output:\n${redacted(output)}`);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(failure(`printed no "listening <url>" within ${options.timeoutMs} ms`)), options.timeoutMs);
      child.stdout!.on('data', (chunk: Buffer) => {
        keep(chunk);
        const match = /listening (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
      child.once('error', (error) => {
        clearTimeout(timer);
        reject(failure(`could not start (${error.message})`));
      });
      child.once('exit', (code, signal) => {
        clearTimeout(timer);
        reject(failure(`exited (${signal ?? code}) before it listened`));
      });
    });
    return { url, output: () => redacted(output), close: () => stop(child) };
  } catch (error) {
    await stop(child);
    throw error;
  }
}
