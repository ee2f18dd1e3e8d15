import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { redisOrSkip, type RedisProcess } from '../../support/redis-server.js';
import type { ReadmeCommand } from './extract.js';
import { Placeholders } from './placeholders.js';

/** What a long-running command holds, so that starting another one stops the old one first (as a reader would). */
type Slot = 'key service' | 'example API';

interface LongRunning {
  pattern: RegExp;
  slots: Slot[];
  /** Printed once it is ready: the last line of its start-up output. */
  ready: RegExp;
}

const LONG_RUNNING: LongRunning[] = [
  {
    pattern: /\bkeyguard serve\b/,
    slots: ['key service'],
    ready: /^ {2}export KEYGUARD_CLERK_SECRET_KEY=.*\n|^clerk secret key: .*\n/m,
  },
  { pattern: /^pnpm demo$/, slots: ['key service', 'example API'], ready: /^Ctrl\+C stops the demo\.$/m },
  { pattern: /^pnpm --filter \S+ start(:\S+)?$/, slots: ['example API'], ready: /^example API on http\S+/m },
];

export interface Outcome {
  where: string;
  command: string;
  code: number | null;
  output: string;
}

interface Background {
  command: ReadmeCommand;
  slots: Slot[];
  child: ChildProcess;
  output: () => string;
  closed: Promise<number | null>;
}

export interface SessionOptions {
  root: string;
  /** A scratch folder of this session: databases, the `keyguard` shim, the shell state. */
  scratch: string;
  /** Free ports that stand in for the documented 8787 (key service) and 3000 (example API). */
  keyServicePort: number;
  apiPort: number;
  /**
   * What a bare `keyguard` runs: the built bin, as npm installs it (default), or the invocation the README gives for
   * a clone of this repository (`pnpm -s keyguard`), run from its root as a reader there types it.
   */
  keyguard?: { inRepository: string };
}

const TIMEOUT_MS = 90_000;

const PROMPT_IN_SHELL_BLOCK =
  'a shell block holds a "$ " prompt: put the command alone in a ```sh block and what it prints in a ```text block\n';

/**
 * Runs a README's shell commands in order, as a reader pasting them into terminals would: in bash, from the
 * repository root, variables and exports carried from one command to the next, long-running commands (`serve`,
 * `start`, `pnpm demo`) left running until `stop()` sends their process group the SIGINT of a Ctrl+C.
 * Placeholders are filled with what earlier commands printed; the documented ports 8787 and 3000 are moved to free
 * ones (through the variables the READMEs name: KEYGUARD_PORT, KEYGUARD_BASE_URL, PORT), and `--db` files to the
 * scratch folder. A bare `keyguard` is the built bin (what npm installs), or the CLI from source before a build.
 */
export class ReadmeSession {
  readonly placeholders = new Placeholders();
  private readonly background: Background[] = [];
  /** A redis-server on a free port, started for the first command that names the documented 6379. */
  private redis: Promise<RedisProcess | undefined> | undefined;
  private readonly env: NodeJS.ProcessEnv;
  private readonly stateFile: string;

  constructor(private readonly options: SessionOptions) {
    const bin = join(options.scratch, 'bin');
    mkdirSync(bin, { recursive: true });
    mkdirSync(join(options.scratch, 'db'), { recursive: true });
    // `keyguard` as installed from npm is the built bin; without a build, the same command from source. In a clone,
    // what the README says to type there, pnpm's own output and all.
    const built = join(options.root, 'packages/cli/dist/bin.js');
    const shim = join(bin, 'keyguard');
    const target = options.keyguard
      ? `cd "${options.root}" && exec ${options.keyguard.inRepository}`
      : `exec node ${existsSync(built) ? `"${built}"` : `--import tsx "${join(options.root, 'packages/cli/src/entries/bin.ts')}"`}`;
    writeFileSync(shim, `#!/bin/sh\n${target} "$@"\n`);
    chmodSync(shim, 0o755);
    this.stateFile = join(options.scratch, 'shell-state.sh');
    writeFileSync(this.stateFile, '');
    // A reader's terminal: none of the test runner's variables, none of ours but the ports.
    const inherited = Object.entries(process.env).filter(
      ([name]) => !/^(KEYGUARD_|UNKEY_|CLERK_|npm_|VITEST|NODE_ENV$|PNPM_SCRIPT)/.test(name),
    );
    const env: Record<string, string | undefined> = {
      ...Object.fromEntries(inherited),
      PATH: `${bin}:${process.env.PATH ?? ''}`,
      KEYGUARD_PORT: String(options.keyServicePort),
      KEYGUARD_BASE_URL: `http://127.0.0.1:${options.keyServicePort}`,
      PORT: String(options.apiPort),
    };
    this.env = env as NodeJS.ProcessEnv;
  }

  /** The command as it is run: placeholders filled, ports and database paths moved. */
  prepare(text: string, redisPort?: number): string {
    return this.placeholders
      .fill(text)
      .replace(/\b8787\b/g, String(this.options.keyServicePort))
      .replace(/\b3000\b/g, String(this.options.apiPort))
      .replace(/\b6379\b/g, String(redisPort ?? 6379))
      .replace(/--db\s+(\S+)/g, (_match, path: string) => `--db ${join(this.options.scratch, 'db', basename(path))}`);
  }

  /** Runs one command; a long-running one resolves once it printed that it is ready. */
  async run(command: ReadmeCommand): Promise<Outcome> {
    // A pasted `$ ` prompt fails in bash as `$: command not found`; say what the README should look like instead.
    if (/^\$\s/.test(command.text))
      return { where: command.where, command: command.text, code: 1, output: PROMPT_IN_SHELL_BLOCK };
    let redisPort: number | undefined;
    if (/\b6379\b/.test(command.text)) {
      this.redis ??= redisOrSkip(`${command.where} (a command that needs Redis)`);
      const redis = await this.redis;
      if (!redis)
        return { where: command.where, command: command.text, code: 0, output: 'skipped: no redis-server here' };
      redisPort = redis.port;
    }
    const text = this.prepare(command.text, redisPort);
    const longRunning = LONG_RUNNING.find(({ pattern }) => pattern.test(command.text));
    if (longRunning) return this.start(command, text, longRunning);
    const script = `set -a\n. ${this.stateFile}\n${text}\nstatus=$?\nexport -p > ${this.stateFile}\nexit $status\n`;
    const child = spawn('bash', ['-c', script], {
      cwd: this.options.root,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: TIMEOUT_MS,
    });
    const output = collect(child);
    const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
    this.placeholders.learnFrom(output());
    return { where: command.where, command: text, code, output: output() };
  }

  private async start(command: ReadmeCommand, text: string, kind: LongRunning): Promise<Outcome> {
    const replaced = this.background.filter((running) => running.slots.some((slot) => kind.slots.includes(slot)));
    const stopped = await Promise.all(replaced.map((running) => this.stopOne(running)));
    const failedStop = stopped.find((outcome) => outcome.code !== 0);
    if (failedStop) return failedStop;
    const child = spawn('bash', ['-c', `set -a\n. ${this.stateFile}\n${text}\n`], {
      cwd: this.options.root,
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    const output = collect(child);
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    this.background.push({ command, slots: kind.slots, child, output, closed });
    const ready = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), TIMEOUT_MS);
      const check = () => {
        if (!kind.ready.test(output())) return;
        clearTimeout(timer);
        resolve(true);
      };
      child.stdout?.on('data', check);
      void closed.then(() => {
        clearTimeout(timer);
        resolve(kind.ready.test(output()));
      });
    });
    this.placeholders.learnFrom(output());
    return {
      where: command.where,
      command: text,
      code: ready && child.exitCode === null ? 0 : (child.exitCode ?? -1),
      output: output(),
    };
  }

  /** Ctrl+C for one long-running command: SIGINT to its process group, as a terminal sends it. */
  private async stopOne(running: Background): Promise<Outcome> {
    this.background.splice(this.background.indexOf(running), 1);
    if (running.child.exitCode === null && running.child.pid !== undefined) process.kill(-running.child.pid, 'SIGINT');
    const timer = setTimeout(
      () => running.child.pid !== undefined && process.kill(-running.child.pid, 'SIGKILL'),
      TIMEOUT_MS,
    );
    const code = await running.closed;
    clearTimeout(timer);
    return {
      where: `${running.command.where} (Ctrl+C)`,
      command: running.command.text,
      code,
      output: running.output(),
    };
  }

  /** Stops whatever still runs, newest first; each answer is how it ended. */
  async stop(): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    for (const running of [...this.background].reverse()) outcomes.push(await this.stopOne(running));
    await (await this.redis)?.stop();
    return outcomes;
  }
}

function collect(child: ChildProcess): () => string {
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  return () => output;
}
