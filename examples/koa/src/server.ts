import { createVerifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { createApp } from './app.js';

// Against the local key service (`keyguard serve`) by default; set UNKEY_ROOT_KEY alone to use Unkey itself.
const rootKey = process.env.KEYGUARD_ROOT_KEY ?? process.env.UNKEY_ROOT_KEY;
if (!rootKey) {
  console.error(
    'Set KEYGUARD_ROOT_KEY (and KEYGUARD_BASE_URL) for the local key service, or UNKEY_ROOT_KEY for Unkey.',
  );
  process.exit(1);
}
const baseUrl = process.env.KEYGUARD_BASE_URL ?? (process.env.KEYGUARD_ROOT_KEY ? 'http://127.0.0.1:8787' : undefined);
const verifier = createVerifier({ provider: unkey({ rootKey, baseUrl }) });
const port = Number(process.env.PORT ?? 3000);
const server = createApp(verifier).listen(port, '127.0.0.1', () => {
  console.log(`example API on http://127.0.0.1:${port}`);
});

// Ctrl+C reaches this process from the terminal and again through pnpm: stop once, then exit (a copy that arrived
// while Node tears down after a natural exit would end the process by the signal, and pnpm report a failure).
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    server.close(() => void verifier.close().then(() => process.exit(0)));
    server.closeAllConnections();
  });
}
