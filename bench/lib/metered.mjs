// The metered section of `pnpm bench`: keys with a rate limit on Hono, key service 5 ms away (50 connections) and
// 25 ms away (200 connections). Configurations, interleaved: a plain key through keyguard (served from its cache), the
// metered key verified strictly (one upstream call per request), the metered key with batched metering (admitted from
// memory, settled 100 at a time), and @unkey/hono (one upstream call per request). Then a cold flood at 25 ms: every
// request a different valid key, so every request is a cache miss.
import { UnkeyClient } from '@keyguard/unkey';
import { median } from './measure.mjs';
import { LOAD_CPU, runLoad, startServer } from './processes.mjs';

export const METERED_MAX_BATCH = 100;
/** What a key service 25 ms away allowed with the old pool of 16 connections and no pipelining: 16 ÷ 25 ms. */
export const OLD_POOL_CAP_RPS = 16 / 0.025;

const CONFIGURATIONS = [
  { name: 'plain key', auth: 'keyguard', key: 'plain' },
  { name: 'metered strict', auth: 'keyguard', key: 'metered' },
  { name: 'metered batched', auth: 'keyguard-batched', key: 'metered' },
  // The plain key's answers carry no RateLimit headers; this row tells what the headers cost from what metering costs.
  {
    name: 'metered batched, no RateLimit headers',
    auth: 'keyguard-batched',
    key: 'metered',
    env: { RATE_LIMIT_HEADERS: 'none' },
  },
  { name: '@unkey/hono (metered)', auth: 'unkey-hono', key: 'metered' },
];

async function createKeys(client, apiId, count, fields, concurrency = 100) {
  const keys = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        next += 1;
        const { data } = await client.keys.createKey({ apiId, prefix: 'sk', ...fields });
        keys.push(data.key);
      }
    }),
  );
  return keys;
}

/** A plain key, a key with a rate limit (one billion a minute: never reached), and `coldKeys` more plain keys. */
export async function seedMeteredKeys(url, rootKey, label, coldKeys) {
  const client = new UnkeyClient({ rootKey, baseUrl: url, timeoutMs: 30_000 });
  const { data: api } = await client.apis.createApi({ name: `bench-metered-${label}` });
  const [plain] = await createKeys(client, api.apiId, 1, { name: 'plain' }, 1);
  const [metered] = await createKeys(
    client,
    api.apiId,
    1,
    { name: 'metered', ratelimits: [{ name: 'requests', limit: 1_000_000_000, duration: 60_000, autoApply: true }] },
    1,
  );
  const cold = await createKeys(client, api.apiId, coldKeys, { name: 'cold' });
  await client.close();
  return { plain, metered, cold };
}

/** One measured run: warm-up, then load, with the app's requests and the key service's verifyKey calls counted around it. */
async function measureRun(app, keyService, key, load) {
  const headers = { authorization: `Bearer ${key}` };
  await runLoad({ ...load, url: `${app.url}/hello`, headers, durationS: 1 });
  const [appBefore, serviceBefore] = await Promise.all([app.stats(), keyService.stats()]);
  const result = await runLoad({ ...load, url: `${app.url}/hello`, headers });
  const [appAfter, serviceAfter] = await Promise.all([app.stats(), keyService.stats()]);
  const served = appAfter.served - appBefore.served;
  const calls = serviceAfter.verifyCalls - serviceBefore.verifyCalls;
  const settlements =
    (appAfter.verifierStats?.metering.settlements ?? 0) - (appBefore.verifierStats?.metering.settlements ?? 0);
  return {
    rps: result.rps,
    p50: result.p50,
    p99: result.p99,
    non2xx: result.non2xx + result.errors,
    upstreamPerRequest: served > 0 ? calls / served : NaN,
    // Requests verified upstream one by one rather than admitted from memory (batched metering at a key's edge, or
    // at its cap on unconfirmed admissions): the calls that are not settlements.
    perRequestCalls: Math.max(0, calls - settlements),
    // The app's CPU per request: steadier than req/s on a shared machine (the key service's is not in it).
    cpuPerRequestUs:
      served > 0 ? (appAfter.cpu.user + appAfter.cpu.system - appBefore.cpu.user - appBefore.cpu.system) / served : NaN,
    // The load generator's (autocannon's) CPU per request: on a two-core machine it has the other core, and when it is
    // as busy as the app, what a response costs it to parse moves req/s as much as what it costs the app to send.
    loadCpuPerRequestUs: result.loadCpuPerRequestUs,
    // Up to two settlements more than served ÷ maxBatch are the run's edges: the warm-up's last full batch may still be
    // on its way to the key service when the run starts, and its last partial batch goes out with the run's first
    // admissions, or on its own when maxDelayMs passes before the run's load starts.
    withinBatchBound: calls <= Math.ceil(served / METERED_MAX_BATCH) + 2,
  };
}

function summarise(runs) {
  const pick = (field) => median(runs.map((run) => run[field]));
  return {
    rps: pick('rps'),
    p50: pick('p50'),
    p99: pick('p99'),
    upstreamPerRequest: pick('upstreamPerRequest'),
    perRequestCalls: runs.reduce((sum, run) => sum + run.perRequestCalls, 0),
    cpuPerRequestUs: pick('cpuPerRequestUs'),
    loadCpuPerRequestUs: pick('loadCpuPerRequestUs'),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    withinBatchBound: runs.every((run) => run.withinBatchBound),
    rounds: runs.map((run) => Math.round(run.rps)),
  };
}

/** A cold flood: `keys.length` requests, each with its own valid key, `connections` at a time. */
async function coldFlood(app, keyService, keys, connections) {
  const before = await keyService.stats();
  const result = await runLoad({ url: `${app.url}/hello`, connections, amount: keys.length, bearerKeys: keys });
  const after = await keyService.stats();
  return {
    requests: result.total,
    rps: result.rps,
    p50: result.p50,
    p99: result.p99,
    non2xx: result.non2xx + result.errors,
    upstreamCalls: after.verifyCalls - before.verifyCalls,
  };
}

export async function meteredBenchmarks({ rootKey, rounds, durationS, quick, log }) {
  const results = { latencies: {}, maxBatch: METERED_MAX_BATCH };
  const coldPerConfiguration = quick ? 1500 : 6000;
  for (const { latencyMs, connections, cold } of [
    { latencyMs: 5, connections: 50, cold: false },
    { latencyMs: 25, connections: 200, cold: true },
  ]) {
    const keyService = await startServer(
      'servers/key-service.mjs',
      { ROOT_KEY: rootKey, LATENCY_MS: String(latencyMs) },
      [],
      LOAD_CPU,
    );
    log(`metered, ${latencyMs} ms upstream: seeding${cold ? ` (${3 * coldPerConfiguration} cold keys)` : ''}`);
    const keys = await seedMeteredKeys(keyService.url, rootKey, `${latencyMs}ms`, cold ? 3 * coldPerConfiguration : 0);
    log(
      `metered, ${latencyMs} ms upstream, ${connections} connections: ${CONFIGURATIONS.map(({ name }) => name).join(' vs ')}`,
    );
    const apps = [];
    for (const configuration of CONFIGURATIONS) {
      apps.push({
        ...configuration,
        app: await startServer('servers/app.mjs', {
          FRAMEWORK: 'hono',
          AUTH: configuration.auth,
          PROVIDER_URL: keyService.url,
          ROOT_KEY: rootKey,
          ...configuration.env,
        }),
      });
    }
    const runs = new Map(apps.map(({ name }) => [name, []]));
    for (let round = 0; round < rounds; round++) {
      for (const { name, app, key } of apps)
        runs.get(name).push(await measureRun(app, keyService, keys[key], { connections, durationS }));
    }
    const summary = {};
    for (const [name, measured] of runs) summary[name] = summarise(measured);
    results.latencies[latencyMs] = { connections, configurations: summary };
    await Promise.all(apps.map(({ app }) => app.stop()));

    if (cold) {
      log(
        `cold flood, ${latencyMs} ms upstream, ${connections} connections: ${coldPerConfiguration} distinct valid keys per configuration`,
      );
      const floods = {};
      const floodConfigurations = [
        { name: 'keyguard', env: { AUTH: 'keyguard' } },
        { name: 'keyguard, 16 connections (the old pool)', env: { AUTH: 'keyguard', CONNECTIONS: '16' } },
        { name: '@unkey/hono', env: { AUTH: 'unkey-hono' } },
      ];
      for (const [index, { name, env }] of floodConfigurations.entries()) {
        const app = await startServer('servers/app.mjs', {
          FRAMEWORK: 'hono',
          PROVIDER_URL: keyService.url,
          ROOT_KEY: rootKey,
          ...env,
        });
        floods[name] = await coldFlood(
          app,
          keyService,
          keys.cold.slice(index * coldPerConfiguration, (index + 1) * coldPerConfiguration),
          connections,
        );
        await app.stop();
      }
      results.latencies[latencyMs].coldFlood = floods;
    }
    await keyService.stop();
  }
  return results;
}
