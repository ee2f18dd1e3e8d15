/** Where the CLI reads its environment and writes its output; `runCli` tests pass their own. */
export interface CliIo {
  /** Writes results. */
  stdout(text: string): void;
  /** Writes errors and diagnostics. */
  stderr(text: string): void;
  /** Environment variables (`KEYGUARD_ROOT_KEY`, `KEYGUARD_BASE_URL`, …). */
  env: Record<string, string | undefined>;
  /** Aborted when the process should stop (SIGINT/SIGTERM in the real bin); `serve` waits for it. */
  shutdown?: AbortSignal;
}

/** The real process's streams and environment; `shutdown` is aborted on SIGINT/SIGTERM by the bin. */
export function processIo(shutdown?: AbortSignal): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    shutdown,
  };
}
