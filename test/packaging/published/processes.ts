import { execFile, spawn, type ChildProcess } from 'node:child_process';
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
 * passes to its scripts (its own settings, the workspace's package; a registry or cache set by the user stays), and without vitest's NODE_ENV=test.
 */
export function userEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', ...extra };
  for (const name of Object.keys(env)) {
    const pnpmSetting = /^(npm|pnpm)_/i.test(name) && !USER_NPM_SETTINGS.has(name.toLowerCase());
    if (pnpmSetting || name === 'NODE_ENV' || name === 'INIT_CWD') delete env[name];
  }
  return env;
}

/** Runs a command to its end within `timeoutMs`; rejects with its (redacted) output if it fails or times out. */
export function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd: options.cwd, env: options.env ?? userEnvironment(), timeout: options.timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        const output = `${stdout}${stderr}`;
        recordOutput(output);
        if (!error) return resolve(output);
        const why = error.killed ? `did not finish within ${options.timeoutMs} ms` : `failed (${error.code ?? error.signal})`;
        reject(new Error(`${command} ${args.join(' ')} in ${options.cwd} ${why}:\n${redacted(output.slice(-KEPT_OUTPUT_CHARS))}`));
      },
    );
  });
}

export interface RunningApp {
  /** `http://127.0.0.1:<port>`, as the app printed it (`listening <url>`). */
  url: string;
  /** What it wrote so far (the end of it), redacted. */
  output(): string;
  close(): Promise<void>;
}

const running = new Set<ChildProcess>();
// Should the test process end without closing an app (a crash, a timeout), its apps end with it.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

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
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    if (!(await exited(child, STOP_TIMEOUT_MS))) {
      child.kill('SIGKILL');
      await exited(child, STOP_TIMEOUT_MS);
    }
  }
  running.delete(child);
}

/** Starts a server app in `cwd` and waits (at most `timeoutMs`) until it prints `listening <url>`. */
export async function startApp(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<RunningApp> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
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
