import { execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { spawnInGroup, signalGroup, stopGroup } from './child-processes.js';
import { findRedisServer } from './redis-server.js';

// What a Redis Cluster and a Sentinel set have in common in the tests: redis-server processes on free loopback ports,
// in a temporary directory, each in a process group of its own (spawnInGroup), all stopped with the test file; and
// redis-cli to set them up and to ask them how they are (the fleet under test reaches them through ioredis).

export interface RedisNode {
  port: number;
  child: ChildProcess;
  /** Its log so far (for the message of a failed start-up). */
  log(): string;
}

/** A set of nodes sharing one temporary directory. */
export class NodeSet {
  readonly nodes: RedisNode[] = [];

  private constructor(
    readonly server: string,
    readonly cli: string,
    readonly dir: string,
  ) {}

  /** Throws when redis-server or redis-cli (Debian's `redis-tools`, a dependency of `redis-server`) is missing. */
  static async create(name: string): Promise<NodeSet> {
    const server = findRedisServer();
    if (!server) throw new Error('redis-server not found');
    const cli = join(dirname(server), 'redis-cli');
    await run(cli, ['--version']).catch(() => {
      throw new Error(`redis-cli not found beside ${server} (Debian package redis-tools)`);
    });
    return new NodeSet(server, cli, await mkdtemp(join(tmpdir(), `keyguard-${name}-`)));
  }

  /** Starts `redis-server <args>` and resolves once its log says `ready` (a sentinel never logs the usual line). */
  async start(port: number, args: string[], ready = 'Ready to accept connections'): Promise<RedisNode> {
    const child = spawnInGroup(this.server, args, { cwd: this.dir });
    let output = '';
    const node: RedisNode = { port, child, log: () => output.slice(-2_000) };
    this.nodes.push(node);
    const collect = (chunk: Buffer) => void (output = (output + chunk.toString()).slice(-8_000));
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    const exited = () => child.exitCode !== null || child.signalCode !== null;
    await until(`redis-server on port ${port} to start`, 10_000, async () => output.includes(ready) || exited());
    if (!output.includes(ready)) {
      throw new Error(`redis-server on port ${port} exited (${child.exitCode}): ${node.log().trim().slice(-500)}`);
    }
    return node;
  }

  /** Runs a command on the node at `port` and answers its reply as redis-cli prints it. */
  command(port: number, ...args: string[]): Promise<string> {
    return run(this.cli, ['-h', '127.0.0.1', '-p', String(port), ...args]);
  }

  /** SIGKILL, as a crash would: nothing is written, connections drop. */
  async kill(port: number): Promise<void> {
    const node = this.nodes.find((candidate) => candidate.port === port);
    if (!node) throw new Error(`no node on port ${port}`);
    const gone = new Promise((resolve) => node.child.once('exit', resolve));
    if (node.child.exitCode === null && node.child.signalCode === null) {
      signalGroup(node.child, 'SIGKILL');
      await gone;
    }
  }

  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((node) => stopGroup(node.child)));
    await rm(this.dir, { recursive: true, force: true });
  }
}

function run(binary: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${binary} ${args.join(' ')}: ${error.message} ${stderr}`.trim()));
      else resolve(stdout.trim());
    });
  });
}

/** Free loopback ports, distinct from each other. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = Array.from({ length: count }, () => createServer());
  await Promise.all(servers.map((server) => new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))));
  const ports = servers.map((server) => (server.address() as AddressInfo).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}

/** Polls `check` until it answers true (errors count as false), or throws `what` after `timeoutMs`. */
export async function until(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** The `field:value` lines of an INFO-like reply (`CLUSTER INFO`, `INFO replication`). */
export function infoField(reply: string, field: string): string | undefined {
  const line = reply.split(/\r?\n/).find((candidate) => candidate.startsWith(`${field}:`));
  return line?.slice(field.length + 1).trim();
}

/** The number of non-empty lines of a reply (`CLIENT LIST`: one per connection). */
export function countLines(reply: string): number {
  return reply.split(/\r?\n/).filter((line) => line.trim() !== '').length;
}

/**
 * A topology for a test file, or undefined with a visible note when it cannot run here; in CI (`CI=true`) a missing
 * or failing Redis is an error, as for `redisOrSkip`.
 */
export async function topologyOrSkip<T>(fileName: string, start: () => Promise<T>): Promise<T | undefined> {
  let reason = '';
  // Two tries: another process may take one of the free ports before its node binds it.
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      return await start();
    } catch (error) {
      reason = error instanceof Error ? error.message : String(error);
    }
  }
  if (process.env.CI) throw new Error(`${fileName} needs Redis and CI must provide it: ${reason}`);
  console.warn(
    `\n  SKIPPED ${fileName}: Redis cannot be started here (${reason}); install redis-server (apt-get install redis-server) to run it\n`,
  );
  return undefined;
}
