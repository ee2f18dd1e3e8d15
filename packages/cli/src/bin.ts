#!/usr/bin/env node
import { processIo } from './io.js';
import { runCli } from './program.js';

// SIGINT/SIGTERM ask `serve` to stop gracefully; a second signal exits at once.
const shutdown = new AbortController();
const onSignal = (signal: NodeJS.Signals) => {
  if (shutdown.signal.aborted) process.exit(signal === 'SIGINT' ? 130 : 143);
  shutdown.abort();
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

runCli(process.argv.slice(2), processIo(shutdown.signal)).then(
  (code) => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`keyguard: unexpected error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
