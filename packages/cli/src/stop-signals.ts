/**
 * A terminal's Ctrl+C reaches every process of the foreground group, and a parent that runs us (`pnpm keyguard`,
 * `pnpm demo`) forwards the same SIGINT once more a moment later. That copy must neither cut the graceful stop
 * short nor, arriving after it, kill the process by the signal (pnpm would then report the script as failed).
 */
const FORWARDED_COPY_WINDOW_MS = 500;

export interface StopSignals {
  /** Aborted on the first SIGINT/SIGTERM. */
  readonly shutdown: AbortSignal;
  /** The command is done: exit with `code` now or, for a signal still to come, then. */
  finished(code: number): void;
}

export function stopSignals(): StopSignals {
  const controller = new AbortController();
  let firstAt = 0;
  let exitCode: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (exitCode !== undefined) process.exit(exitCode);
    if (!controller.signal.aborted) {
      firstAt = Date.now();
      controller.abort();
      return;
    }
    // A second, deliberate Ctrl+C: stop waiting for in-flight requests.
    if (Date.now() - firstAt > FORWARDED_COPY_WINDOW_MS) process.exit(signal === 'SIGINT' ? 130 : 143);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    shutdown: controller.signal,
    finished(code) {
      exitCode = code;
      process.exitCode = code;
      // Stopped by a signal: exit now rather than once the event loop has drained. A forwarded copy arriving while
      // Node tears down, its handlers gone, kills the process by the signal (seen on Node 24 and 26 in about one
      // stop of eight under `pnpm keyguard serve`; pnpm then reports the script as failed).
      if (controller.signal.aborted) process.exit(code);
    },
  };
}
