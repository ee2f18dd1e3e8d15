import { expect } from 'vitest';
import { runCli, type CliIo } from '../src/index.js';

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `run(argv, extraEnv)` runs the CLI in-process with `env()` plus `extraEnv`; `json(argv)` expects exit 0 and parses stdout. */
export function cliRunner(env: () => Record<string, string>) {
  const run = async (argv: string[], extraEnv: Record<string, string | undefined> = {}): Promise<Run> => {
    let stdout = '';
    let stderr = '';
    const io: CliIo = {
      stdout: (text) => (stdout += text),
      stderr: (text) => (stderr += text),
      env: { ...env(), ...extraEnv },
    };
    const code = await runCli(argv, io);
    return { code, stdout, stderr };
  };
  const json = async (argv: string[]) => {
    const result = await run(['--json', ...argv]);
    expect(result.code, result.stderr).toBe(0);
    return JSON.parse(result.stdout);
  };
  return { run, json };
}

export interface ServeRun {
  /** Everything `serve` printed so far (its first output is there once `start` resolves). */
  stdout(): string;
  /** Sends the shutdown signal and answers the exit code. */
  stop(): Promise<number>;
}

/** Starts `keyguard <argv>` (a `serve`) in-process and waits for its first line of output. */
export async function serveInProcess(argv: string[], env: Record<string, string | undefined>): Promise<ServeRun> {
  const shutdown = new AbortController();
  let stdout = '';
  let listening!: () => void;
  const ready = new Promise<void>((resolve) => (listening = resolve));
  const exit = runCli(argv, {
    stdout: (text) => {
      stdout += text;
      if (stdout.includes('\n')) listening();
    },
    stderr: () => {},
    env,
    shutdown: shutdown.signal,
  });
  await Promise.race([ready, exit]);
  return {
    stdout: () => stdout,
    stop: () => {
      shutdown.abort();
      return exit;
    },
  };
}
