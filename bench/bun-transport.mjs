// Which HTTP client keyguard's Bun build should send verifications with, measured on Bun itself:
// `bun bench/bun-transport.mjs` (after `pnpm build`). Each candidate is a transport under the same unkey() provider,
// verifying one valid key against the local key service (bench/servers/key-service.mjs, in a Node process of its own,
// so the CPU counted here is the client's alone). The candidates take turns within each round; the figure is the
// median over rounds of this process's CPU per verification, in µs, and each candidate's ratio to fetch.
// Bun's `undici` Pool has no `dispatch` and no `close` (the Node transport cannot run there), so the candidates are
// what works on Bun: global fetch (what the Bun build uses), node:http with a keep-alive agent, and `undici.request`
// (Bun's own, written over fetch). A second table: a cache hit on core's Bun build (node:crypto's synchronous SHA-256)
// next to its edge build (Web Crypto's asynchronous one), the two builds a Bun app could be given.
import { randomBytes } from 'node:crypto';
import { fork } from 'node:child_process';
import { Agent, request as httpRequest } from 'node:http';
import { UnkeyClient, unkey } from '@keyguard/unkey';
import { createVerifier as bunCreateVerifier } from '@keyguard/core';
import { createVerifier as edgeCreateVerifier } from '@keyguard/core/edge';
import { runtime } from '@keyguard/core/runtime';
import * as undici from 'undici';
import { fixed, table } from './lib/format.mjs';
import { median } from './lib/in-process.mjs';

if (!process.versions.bun) throw new Error('run this with bun: node_modules/.bin/bun bench/bun-transport.mjs');
if (runtime.name !== 'bun')
  throw new Error(`@keyguard/core/runtime resolved to the ${runtime.name} runtime: build first (pnpm build)`);

const ROUNDS = 7;
const CALLS = 2_000;
const CONCURRENCY = 10;
const HITS = 200_000;

/** The local key service in a Node process, as users run it (`keyguard serve`), answering over loopback. */
async function startKeyService(rootKey) {
  const child = fork(new URL('./servers/key-service.mjs', import.meta.url).pathname, [], {
    execPath: 'node',
    execArgv: [],
    env: { ...process.env, ROOT_KEY: rootKey },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const { port } = await new Promise((resolve, reject) => {
    child.once('message', resolve);
    child.once('exit', (code) => reject(new Error(`the key service exited with ${code} before it was ready`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill() };
}

/** A transport from a function sending one request and answering `{ status, headers, body }`. */
const transportOf = (send, close = async () => {}) => ({ request: send, close });

function nodeHttpTransport(baseUrl) {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const send = ({ method, path, headers, body }) =>
    new Promise((resolve, reject) => {
      const outgoing = httpRequest(baseUrl + path, { method, headers, agent }, (response) => {
        const chunks = [];
        response.on('data', (chunk) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
        response.on('error', reject);
      });
      outgoing.on('error', reject);
      outgoing.end(body);
    });
  return transportOf(send, async () => agent.destroy());
}

function undiciRequestTransport(baseUrl) {
  const send = async ({ method, path, headers, body }) => {
    const response = await undici.request(baseUrl + path, { method, headers, body });
    return { status: response.statusCode, headers: response.headers, body: await response.body.text() };
  };
  return transportOf(send);
}

const CANDIDATES = {
  fetch: (baseUrl, options) => runtime.createTransport(baseUrl, options),
  'node:http': nodeHttpTransport,
  'undici.request': undiciRequestTransport,
};

async function cpuPerCall(call, count) {
  const before = process.cpuUsage();
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        next += 1;
        await call();
      }
    }),
  );
  const used = process.cpuUsage(before);
  return (used.user + used.system) / count;
}

const rootKey = `bench_root_${randomBytes(16).toString('hex')}`;
const keyService = await startKeyService(rootKey);
try {
  const client = new UnkeyClient({ rootKey, baseUrl: keyService.url });
  const { data: api } = await client.apis.createApi({ name: 'bench-bun-transport' });
  const { data: created } = await client.keys.createKey({ apiId: api.apiId, prefix: 'sk', name: 'bench' });
  await client.close();

  const providers = Object.entries(CANDIDATES).map(([name, createTransport]) => {
    const provider = unkey({ rootKey, baseUrl: keyService.url }, { ...runtime, createTransport });
    const verify = async () => {
      const answer = await provider.verify(created.key);
      if (!answer.valid) throw new Error(`${name}: ${answer.code}`);
    };
    return { name, provider, verify, runs: [] };
  });
  for (const candidate of providers) await cpuPerCall(candidate.verify, 300);
  for (let round = 0; round < ROUNDS; round++)
    for (const candidate of providers) candidate.runs.push(await cpuPerCall(candidate.verify, CALLS));
  await Promise.all(providers.map(({ provider }) => provider.close?.()));

  const builds = [
    { name: 'Bun build (node:crypto)', createVerifier: bunCreateVerifier },
    { name: 'edge build (Web Crypto)', createVerifier: edgeCreateVerifier },
  ].map(({ name, createVerifier }) => {
    const verifier = createVerifier({
      provider: unkey({ rootKey, baseUrl: keyService.url }, runtime),
      cache: { freshMs: 600_000 },
    });
    return { name, verifier, hit: () => verifier.verify(created.key), runs: [] };
  });
  for (const build of builds) if (!(await build.hit()).valid) throw new Error(`${build.name}: the key did not verify`);
  for (let round = 0; round < ROUNDS; round++)
    for (const build of builds) build.runs.push(await cpuPerCall(build.hit, HITS));
  await Promise.all(builds.map(({ verifier }) => verifier.close()));

  const fetchUs = median(providers[0].runs);
  console.log(`Bun ${process.versions.bun}, ${ROUNDS} rounds of ${CALLS} verifications, ${CONCURRENCY} at a time\n`);
  console.log(
    table(
      ['transport', 'CPU per verification', 'ratio to fetch', 'spread over rounds'],
      providers.map(({ name, runs }) => [
        name,
        `${fixed(median(runs), 1)} µs`,
        fixed(median(runs) / fetchUs, 2),
        `${fixed(Math.min(...runs), 1)}–${fixed(Math.max(...runs), 1)} µs`,
      ]),
    ),
  );
  const bunHitUs = median(builds[0].runs);
  console.log(`\nA cache hit, ${ROUNDS} rounds of ${HITS.toLocaleString('en-US')} verify() calls\n`);
  console.log(
    table(
      ['build', 'CPU per cache hit', 'ratio to the Bun build', 'spread over rounds'],
      builds.map(({ name, runs }) => [
        name,
        `${fixed(median(runs), 2)} µs`,
        fixed(median(runs) / bunHitUs, 2),
        `${fixed(Math.min(...runs), 2)}–${fixed(Math.max(...runs), 2)} µs`,
      ]),
    ),
  );
} finally {
  keyService.stop();
}
