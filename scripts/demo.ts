// `pnpm demo`: the local key service in-process on loopback, an API with a few keys, and examples/express in
// front of it, with curl commands that show 200, 401, 403 and 429 answers and what to do next. With
// UNKEY_ROOT_KEY and UNKEY_API_ID set, keys are created in Unkey itself instead. `--check` prints the same and
// runs every printed command once, then exits (the tests use it).
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createVerifier, type Verifier } from '@keyguard/core';
import { UnkeyClient, unkey } from '@keyguard/unkey';
import { createApp } from '../examples/express/src/app.js';
import { startBackend, type Backend } from './demo/backend.js';
import { banner } from './demo/banner.js';
import { checkBanner } from './demo/check.js';
import { DemoError, listenError } from './demo/errors.js';
import { demoRequests, type DemoKeys } from './demo/requests.js';
import { settingsFrom, type Settings } from './demo/settings.js';

const check = process.argv.includes('--check');
const root = fileURLToPath(new URL('..', import.meta.url));

async function createKeys(client: UnkeyClient, apiId: string): Promise<DemoKeys> {
  const createKey = async (name: string, extra: Partial<Parameters<typeof client.keys.createKey>[0]>) =>
    (await client.keys.createKey({ apiId, prefix: 'demo', name, ...extra })).data.key;
  return {
    reader: await createKey('reader', { permissions: ['documents.read'] }),
    writer: await createKey('writer', { permissions: ['documents.read', 'documents.write', 'documents.delete'] }),
    limited: await createKey('limited', {
      permissions: ['documents.read'],
      ratelimits: [{ name: 'requests', limit: 3, duration: 30_000, autoApply: true }],
    }),
    credits: await createKey('three-credits', { permissions: ['documents.read'], credits: { remaining: 3 } }),
  };
}

async function listen(verifier: Verifier, settings: Settings): Promise<Server> {
  const app = createApp(verifier).listen(settings.apiPort, '127.0.0.1');
  try {
    await new Promise((resolve, reject) => {
      app.once('listening', resolve);
      app.once('error', reject);
    });
  } catch (error) {
    throw listenError(error, 'the example API', settings.apiPort, 'PORT');
  }
  return app;
}

/** Everything the demo started, stopped in reverse order. */
const running: (() => Promise<void>)[] = [];
async function stopAll(): Promise<void> {
  for (const stop of running.reverse()) await stop().catch(() => {});
}

async function main(): Promise<number> {
  const settings = settingsFrom(process.env, check);
  const backend: Backend = await startBackend(settings);
  running.push(() => backend.stop());
  const client = new UnkeyClient({ rootKey: backend.rootKey, baseUrl: backend.baseUrl });
  running.push(() => client.close());
  const keys = await createKeys(client, backend.apiId);
  // One verifier per process; the client is handed to it so keys deleted or updated through it are dropped at once.
  const verifier = createVerifier({
    provider: unkey({ rootKey: backend.verifierRootKey, baseUrl: backend.baseUrl }),
    clients: [client],
  });
  running.push(() => verifier.close());
  const app = await listen(verifier, settings);
  running.push(
    () =>
      new Promise<void>((resolve) => {
        app.close(() => resolve());
        app.closeAllConnections();
      }),
  );
  const api = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;
  const requests = demoRequests(keys);
  const printed = banner(backend, api, keys, requests);
  console.log(printed.text);
  if (!check) return new Promise<number>(() => {});

  console.log('\nChecking every printed command:');
  const outcomes = await checkBanner(printed, requests, root);
  for (const outcome of outcomes) console.log(`${outcome.ok ? 'ok  ' : 'FAIL'} ${outcome.line}`);
  return outcomes.every((outcome) => outcome.ok) ? 0 : 1;
}

// Ctrl+C reaches this process and, a moment later, again through pnpm: stop once, quietly, with exit 0.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    console.log('\nstopping the demo');
    void stopAll().then(() => process.exit(0));
  });
}

try {
  const code = await main();
  await stopAll();
  process.exit(code);
} catch (error) {
  const message =
    error instanceof DemoError
      ? error.message
      : `unexpected error: ${error instanceof Error ? error.message : String(error)}`;
  process.stderr.write(`keyguard demo: ${message}\n`);
  await stopAll();
  process.exit(1);
}
