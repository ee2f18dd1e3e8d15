import { spawnInGroup, stopGroup } from '../../support/child-processes.js';
import { maskSecrets } from '../../support/secrets.js';
import { commandFor, ROOT, type RuntimeName } from './runtimes.js';

/** How long an app may take to print its address: Deno's first start compiles every npm module it loads. */
const START_TIMEOUT_MS = 30_000;
/** Output kept for an error message: the end of it is what says why an app failed. */
const KEPT_OUTPUT_CHARS = 4_000;

/** What an app prints once it listens: its origin and, from the apps of support/apps, core's runtime (`bun`, `node`). */
const LISTENING = /listening (?:on )?(http:\/\/127\.0\.0\.1:\d+)(?: core=(\w+))?/;

export interface RunningApp {
  url: string;
  /** The runtime of `@keyguard/core/runtime` the app loaded, when it says (the export condition its runtime took). */
  coreRuntime: string | undefined;
  close(): Promise<void>;
}

interface Launched {
  child: ReturnType<typeof spawnInGroup>;
  /** The end of what it wrote to stdout and stderr so far. */
  output(): string;
  /** An error naming the app, saying `why`, with its output, every registered secret redacted. */
  failure(why: string): Error;
}

/** Spawns `app` (a TypeScript file) on `runtime` from the repository's root, keeping its output in memory only. */
function launch(runtime: RuntimeName, app: string, env: Record<string, string>): Launched {
  const { command, args, env: runtimeEnv } = commandFor(runtime, app);
  // As from a terminal: not with the NODE_ENV=test that vitest sets.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV'));
  const childEnv: Record<string, string | undefined> = { ...inherited, NO_COLOR: '1', ...runtimeEnv, ...env };
  const child = spawnInGroup(command, args, { cwd: ROOT, env: childEnv as NodeJS.ProcessEnv });
  let output = '';
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-KEPT_OUTPUT_CHARS);
  };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  return {
    child,
    output: () => output,
    failure: (why) => new Error(`${runtime} ${app.slice(ROOT.length)} ${why}; its output:\n${maskSecrets(output)}`),
  };
}

/** Resolves with what `test` finds in the app's output, rejects if the app exits or START_TIMEOUT_MS pass first. */
function waitFor<T>(
  { child, output, failure }: Launched,
  test: (output: string) => T | undefined,
  what: string,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(failure(`printed no ${what} within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    const settle = (settled: () => void) => {
      clearTimeout(timer);
      child.stdout.off('data', look);
      settled();
    };
    const look = () => {
      const found = test(output());
      if (found !== undefined) settle(() => resolve(found));
    };
    child.stdout.on('data', look);
    child.once('error', (error) => settle(() => reject(failure(`could not start (${error.message})`))));
    child.once('exit', (code, signal) =>
      settle(() => reject(failure(`exited (${signal ?? code}) before it printed ${what}`))),
    );
  });
}

/**
 * Starts `app` (a TypeScript file) on `runtime` with `env` added, and waits until it prints `listening <url>`. Its
 * output is kept in memory, never written to the test's output (it may hold keys); should it exit or stay silent for
 * START_TIMEOUT_MS, the error carries that output with every registered secret redacted.
 */
export async function startApp(
  runtime: RuntimeName,
  app: string,
  env: Record<string, string> = {},
): Promise<RunningApp> {
  const launched = launch(runtime, app, env);
  try {
    const listening = await waitFor(launched, (output) => LISTENING.exec(output) ?? undefined, '"listening <url>"');
    return { url: listening[1]!, coreRuntime: listening[2], close: () => stopGroup(launched.child) };
  } catch (error) {
    await stopGroup(launched.child);
    throw error;
  }
}

/** Runs `app` on `runtime` until it prints `result <JSON>`, and answers that JSON (the app is stopped then). */
export async function runForResult(
  runtime: RuntimeName,
  app: string,
  env: Record<string, string> = {},
): Promise<unknown> {
  const launched = launch(runtime, app, env);
  try {
    const line = await waitFor(launched, (output) => /^result (.*)$/m.exec(output)?.[1], '"result <JSON>"');
    return JSON.parse(line) as unknown;
  } finally {
    await stopGroup(launched.child);
  }
}
