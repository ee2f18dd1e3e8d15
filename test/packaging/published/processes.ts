import { signalGroup, spawnInGroup, stopGroup } from '../../support/child-processes.js';
import { maskSecrets, recordOutput } from '../../support/secrets.js';

// Commands of the published-packages test, each bounded in time: a step that hangs fails with its output instead of
// holding the suite, and no process it started outlives it.

/** Output kept for an error message: its end says why a step failed. */
const KEPT_OUTPUT_CHARS = 6_000;

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

/**
 * Runs a command to its end within `timeoutMs`, in a process group of its own (npm runs scripts as children; a
 * timeout ends them all); rejects with its (redacted) output if it fails or times out.
 */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawnInGroup(command, args, { cwd: options.cwd, env: options.env ?? userEnvironment() });
    let output = '';
    const keep = (chunk: Buffer) => {
      output += chunk.toString('utf8');
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      signalGroup(child, 'SIGKILL');
    }, options.timeoutMs);
    const fail = (why: string) =>
      reject(
        new Error(
          `${command} ${args.join(' ')} in ${options.cwd} ${why}:\n${maskSecrets(output.slice(-KEPT_OUTPUT_CHARS))}`,
        ),
      );
    child.once('error', (error) => {
      clearTimeout(timer);
      fail(`could not start (${error.message})`);
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
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

/** Starts a server app in `cwd` and waits (at most `timeoutMs`) until it prints `listening <url>`. */
export async function startApp(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<RunningApp> {
  const child = spawnInGroup(command, args, { cwd: options.cwd, env: options.env });
  let output = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    recordOutput(text);
    output = (output + text).slice(-KEPT_OUTPUT_CHARS);
  };
  child.stderr.on('data', keep);
  const failure = (why: string) =>
    new Error(`${command} ${args.join(' ')} ${why}; its output:\n${maskSecrets(output)}`);
  try {
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(failure(`printed no "listening <url>" within ${options.timeoutMs} ms`)),
        options.timeoutMs,
      );
      child.stdout.on('data', (chunk: Buffer) => {
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
    return { url, output: () => maskSecrets(output), close: () => stopGroup(child) };
  } catch (error) {
    await stopGroup(child);
    throw error;
  }
}
