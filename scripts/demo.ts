// `pnpm demo`: the local key service in-process on loopback, an API with a few keys, and examples/express in
// front of it, with curl commands that show 200, 401, 403 and 429. With UNKEY_ROOT_KEY (and UNKEY_API_ID) set,
// keys are created in Unkey itself instead. `--check` runs those requests once and exits (used by the tests).
import { mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createVerifier } from '@keyguard/core';
import { UnkeyClient, unkey } from '@keyguard/unkey';
import { createKeyServer } from '@keyguard/server';
import type { KeyServer } from '@keyguard/server';
import { createApp } from '../examples/express/src/app.js';

const check = process.argv.includes('--check');
const dataDirectory = join(fileURLToPath(new URL('..', import.meta.url)), '.data');

interface Backend {
  baseUrl: string | undefined;
  rootKey: string;
  apiId: string;
  stop(): Promise<void>;
}

async function localBackend(): Promise<Backend> {
  let database = ':memory:';
  if (!check) {
    mkdirSync(dataDirectory, { recursive: true });
    database = join(dataDirectory, 'demo.sqlite');
    // A fresh store per run: the demo's keys are printed once, and the root key is never written to disk.
    for (const suffix of ['', '-wal', '-shm']) rmSync(database + suffix, { force: true });
  }
  const server: KeyServer = createKeyServer({ database, port: check ? 0 : Number(process.env.KEYGUARD_PORT ?? 8787) });
  const { rootKey } = server.bootstrap();
  const { url } = await server.start();
  const client = new UnkeyClient({ rootKey: rootKey!, baseUrl: url });
  const { data } = await client.apis.createApi({ name: 'demo-api' });
  await client.close();
  return { baseUrl: url, rootKey: rootKey!, apiId: data.apiId, stop: () => server.stop() };
}

function unkeyBackend(): Backend {
  const apiId = process.env.UNKEY_API_ID;
  if (!apiId) throw new Error('With UNKEY_ROOT_KEY set, also set UNKEY_API_ID: the API the demo keys are created in.');
  return { baseUrl: undefined, rootKey: process.env.UNKEY_ROOT_KEY!, apiId, stop: async () => {} };
}

const backend = process.env.UNKEY_ROOT_KEY ? unkeyBackend() : await localBackend();
const client = new UnkeyClient({ rootKey: backend.rootKey, baseUrl: backend.baseUrl });
const createKey = async (name: string, extra: Partial<Parameters<typeof client.keys.createKey>[0]>) =>
  (await client.keys.createKey({ apiId: backend.apiId, prefix: 'demo', name, ...extra })).data.key;

const keys = {
  reader: await createKey('reader', { permissions: ['documents.read'] }),
  writer: await createKey('writer', { permissions: ['documents.read', 'documents.write', 'documents.delete'] }),
  limited: await createKey('limited', { permissions: ['documents.read'], ratelimits: [{ name: 'requests', limit: 3, duration: 30_000, autoApply: true }] }),
  credits: await createKey('three-credits', { permissions: ['documents.read'], credits: { remaining: 3 } }),
};

// One verifier per process; the client is handed to it so keys deleted or updated through it are dropped at once.
const verifier = createVerifier({ provider: unkey({ rootKey: backend.rootKey, baseUrl: backend.baseUrl }), clients: [client] });
const app: Server = createApp(verifier).listen(check ? 0 : Number(process.env.PORT ?? 3000), '127.0.0.1');
await new Promise((resolve) => app.once('listening', resolve));
const api = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;

const examples: { title: string; expect: string; method?: string; path: string; key?: string; body?: string; repeat?: number }[] = [
  { title: 'public route', expect: '200', path: '/health' },
  { title: 'no key', expect: '401', path: '/documents' },
  { title: 'read-only key', expect: '200', path: '/documents', key: keys.reader },
  { title: 'read-only key may not write', expect: '403', method: 'POST', path: '/documents', key: keys.reader, body: '{"title":"draft"}' },
  { title: 'read-write key writes', expect: '201', method: 'POST', path: '/documents', key: keys.writer, body: '{"title":"draft"}' },
  { title: 'rate limit of 3 per 30 s: the 4th answer is 429', expect: '200 200 200 429', path: '/documents', key: keys.limited, repeat: 4 },
  { title: '3 credits: the 4th answer is 429', expect: '200 200 200 429', path: '/documents', key: keys.credits, repeat: 4 },
];

function curl(example: (typeof examples)[number]): string {
  const parts = ['curl -s -o /dev/null -w "%{http_code}\\n"'];
  if (example.method) parts.push(`-X ${example.method}`);
  if (example.key) parts.push(`-H "Authorization: Bearer ${example.key}"`);
  if (example.body) parts.push(`-H "Content-Type: application/json" -d '${example.body}'`);
  parts.push(`${api}${example.path}`);
  const command = parts.join(' ');
  return example.repeat ? `for i in $(seq ${example.repeat}); do ${command}; done` : command;
}

async function run(example: (typeof examples)[number]): Promise<string> {
  const statuses: number[] = [];
  for (let index = 0; index < (example.repeat ?? 1); index++) {
    const headers: Record<string, string> = {};
    if (example.key) headers.authorization = `Bearer ${example.key}`;
    if (example.body) headers['content-type'] = 'application/json';
    const response = await fetch(api + example.path, { method: example.method ?? 'GET', headers, body: example.body });
    await response.arrayBuffer();
    statuses.push(response.status);
  }
  return statuses.join(' ');
}

async function shutdown(): Promise<void> {
  await new Promise((resolve) => app.close(resolve));
  await verifier.close();
  await client.close();
  await backend.stop();
}

if (check) {
  let failures = 0;
  for (const example of examples) {
    const got = await run(example);
    const ok = got === example.expect;
    if (!ok) failures += 1;
    console.log(`${ok ? 'ok  ' : 'FAIL'} ${example.title}: expected ${example.expect}, got ${got}`);
  }
  await shutdown();
  process.exit(failures === 0 ? 0 : 1);
}

console.log(`\nkeyguard demo
  key service  ${backend.baseUrl ?? 'https://api.unkey.com'} (${backend.baseUrl ? 'local, data in .data/' : 'Unkey'})
  example API  ${api} (examples/express)

Keys (shown once):
  read-only       ${keys.reader}
  read-write      ${keys.writer}
  rate-limited    ${keys.limited}
  three credits   ${keys.credits}

Try:`);
for (const example of examples) console.log(`\n  # ${example.title} → ${example.expect}\n  ${curl(example)}`);
console.log('\nCtrl+C stops the demo.');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void shutdown().then(() => process.exit(0));
  });
}
