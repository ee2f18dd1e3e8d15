import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { maskSecrets, recordOutput } from '../../support/secrets.js';

// Cloudflare's runtime itself (the `workerd` npm package: its binary), driven with a generated Cap'n Proto config:
// one ES module Worker, JSON bindings on `env`, an HTTP socket on a free loopback port (workerd reports the port on
// its control fd), and a global `fetch` allowed to reach loopback, where the tests' key services listen (workerd's
// default `internet` service allows public addresses only). The compatibility date is the binary's own; no flag is
// set (from 2026-08-04 on, that date turns `nodejs_compat` on by itself, but no bundle here imports a Node built-in).

const workerd = createRequire(import.meta.url)('workerd') as { default: string; compatibilityDate: string };
const START_TIMEOUT_MS = 20_000;
const STOP_TIMEOUT_MS = 5_000;

export interface WorkerdOptions {
  /** The Worker's main module: an ES module whose default export has `fetch(request, env, ctx)`. */
  mainModule: string;
  /** `env` of the Worker: each value is a JSON binding. */
  bindings?: Record<string, unknown>;
}

export interface RunningWorkerd {
  /** `http://127.0.0.1:<port>`. */
  url: string;
  /** What workerd wrote to stdout and stderr so far (the Worker's console goes there). */
  output(): string;
  close(): Promise<void>;
}

function configFor(bindingNames: string[]): string {
  const bindings = bindingNames.map((name) => `(name = "${name}", json = embed "binding-${name}.json")`).join(', ');
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "internet", network = (allow = ["public", "private", "local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:0", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker.js", esModule = embed "worker.js")],
  bindings = [${bindings}],
  compatibilityDate = "${workerd.compatibilityDate}",
);
`;
}

/** Resolves with the port workerd reports for the `http` socket (`{"event":"listen","socket":"http","port":…}`). */
function listenPort(control: Readable): Promise<number> {
  return new Promise((resolve) => {
    let text = '';
    control.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      for (const line of text.split('\n')) {
        const event = (line.trim().startsWith('{') ? JSON.parse(line) : {}) as {
          event?: string;
          socket?: string;
          port?: number;
        };
        if (event.event === 'listen' && event.socket === 'http' && event.port) resolve(event.port);
      }
    });
  });
}

/** Starts workerd serving one Worker; `close()` kills it and removes its files. */
export async function startWorkerd(options: WorkerdOptions): Promise<RunningWorkerd> {
  const directory = await mkdtemp(join(tmpdir(), 'keyguard-workerd-'));
  const bindings = Object.entries(options.bindings ?? {});
  await writeFile(join(directory, 'worker.js'), options.mainModule);
  for (const [name, value] of bindings) await writeFile(join(directory, `binding-${name}.json`), JSON.stringify(value));
  await writeFile(join(directory, 'config.capnp'), configFor(bindings.map(([name]) => name)));

  const child = spawn(workerd.default, ['serve', 'config.capnp', '--control-fd', '3'], {
    cwd: directory,
    stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
  });
  // The Worker's console lines reach the leak watch (as the test process's own console does), not the test output.
  let output = '';
  const keep = (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output += text;
    recordOutput(text);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const close = async () => {
    process.off('exit', killOnExit);
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGTERM');
      const stopped = await Promise.race([
        exited.then(() => true),
        new Promise<boolean>((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS, false).unref()),
      ]);
      if (!stopped) child.kill('SIGKILL');
      await exited;
    }
    await rm(directory, { recursive: true, force: true });
  };

  let timer: NodeJS.Timeout | undefined;
  const failed = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(
      () => reject(new Error(`workerd did not listen within ${START_TIMEOUT_MS} ms`)),
      START_TIMEOUT_MS,
    );
    void exited.then(() =>
      reject(new Error(`workerd exited with ${child.exitCode ?? child.signalCode} before listening`)),
    );
  });
  // Only the start awaits it: once workerd listens, its exit (on close) is no failure.
  failed.catch(() => undefined);
  try {
    const port = await Promise.race([listenPort(child.stdio[3] as Readable), failed]);
    return { url: `http://127.0.0.1:${port}`, output: () => output, close };
  } catch (error) {
    await close();
    // Shown in the test's output: every registered key and secret masked.
    throw new Error(`${(error as Error).message}; its output:\n${maskSecrets(output)}`);
  } finally {
    clearTimeout(timer);
  }
}
