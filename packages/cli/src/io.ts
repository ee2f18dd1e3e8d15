/** Where the CLI reads its environment and writes its output; `runCli` tests pass their own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Aborted when the process should stop (SIGINT/SIGTERM in the real bin); `serve` waits for it. */
  shutdown?: AbortSignal;
}

export function processIo(shutdown?: AbortSignal): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
    shutdown,
  };
}
