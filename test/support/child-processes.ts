import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

// Processes a test starts (apps on other runtimes, npm installs, built apps): each in a process group of its own, so
// that stopping it stops what it started too — node_modules/.bin/bun and .bin/deno are shell scripts whose runtime
// is their child, npm runs scripts as children — and none outlives the test process.

const STOP_TIMEOUT_MS = 5_000;
const running = new Set<ChildProcess>();

// Should the test process end without stopping a child (a crash, a timeout), its children end with it.
process.once('exit', () => {
  for (const child of running) signalGroup(child, 'SIGKILL');
});

/** Sends `signal` to the child's whole process group. */
export function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    process.kill(-child.pid!, signal);
  } catch {
    // The group is gone already.
  }
}

/** `spawn` in a process group of its own, stdin closed, stdout and stderr piped; tracked until it exits. */
export function spawnInGroup(
  command: string,
  args: string[],
  options: Omit<SpawnOptions, 'detached' | 'stdio'>,
): ChildProcess & { stdout: NonNullable<ChildProcess['stdout']>; stderr: NonNullable<ChildProcess['stderr']> } {
  const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  running.add(child);
  child.once('exit', () => running.delete(child));
  child.once('error', () => running.delete(child));
  return child as ChildProcess & {
    stdout: NonNullable<ChildProcess['stdout']>;
    stderr: NonNullable<ChildProcess['stderr']>;
  };
}

/** Resolves true once the child has exited, false if `timeoutMs` pass first. */
export function exited(child: ChildProcess, timeoutMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** SIGTERM to the child's group, SIGKILL if it is still there after STOP_TIMEOUT_MS; then whatever it left behind. */
export async function stopGroup(child: ChildProcess): Promise<void> {
  signalGroup(child, 'SIGTERM');
  if (!(await exited(child, STOP_TIMEOUT_MS))) {
    signalGroup(child, 'SIGKILL');
    await exited(child, STOP_TIMEOUT_MS);
  }
  signalGroup(child, 'SIGKILL');
  running.delete(child);
}
