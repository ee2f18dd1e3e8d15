#!/usr/bin/env node
import { processIo } from '../io.js';
import { runCli } from '../program.js';
import { stopSignals } from '../stop-signals.js';

// A reader that stops reading (`keyguard … | head -3`) closes the pipe: nothing is left to say, and no stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

// SIGINT/SIGTERM ask `serve` to stop gracefully; a second Ctrl+C exits at once.
const signals = stopSignals();
runCli(process.argv.slice(2), processIo(signals.shutdown)).then(
  (code) => signals.finished(code),
  (error: unknown) => {
    process.stderr.write(`keyguard: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    signals.finished(1);
  },
);
