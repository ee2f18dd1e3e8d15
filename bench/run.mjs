// `pnpm bench`: every benchmark in one go, each server its own process on 127.0.0.1, load from autocannon in
// another, configurations interleaved (A B A B …) with medians and ratios. Prints a table and rewrites the
// generated part of bench/RESULTS.md (between the markers) from the raw figures it saves in bench/results.json,
// leaving the hand-written notes alone.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { UnkeyClient } from '@keyguard/unkey';
import { fleetBenchmark } from './lib/fleet.mjs';
import { compareInterleaved } from './lib/measure.mjs';
import { instructionBenchmarks, instructionsAvailable } from './lib/instructions.mjs';
import { meteredBenchmarks } from './lib/metered.mjs';
import { LOAD_CPU, runLoad, startServer, stopAll } from './lib/processes.mjs';
import { writeResults } from './lib/report.mjs';
import { telemetryComparison } from './lib/telemetry.mjs';
import { verifyComparison } from './lib/verify-service.mjs';

const quick = process.argv.includes('--quick');
// `--only=hono,express,nest-express,nest-fastify,peers,storm,flood,micro,key-service,fleet,telemetry,metered,instructions`: a subset,
// printed but not written to RESULTS.md; with `--save`, its figures replace those sections' in bench/results.json and
// RESULTS.md is rewritten (the rest of the saved run is kept).
const onlyArgument = process.argv.find((argument) => argument.startsWith('--only='));
const only = onlyArgument ? new Set(onlyArgument.slice('--only='.length).split(',')) : undefined;
const want = (section) => !only || only.has(section);
const rounds = quick ? 1 : 3;
const durationS = quick ? 2 : 5;
const floodS = quick ? 5 : 30;
const connections = 50;
const rootKey = `bench_root_${randomBytes(16).toString('hex')}`;
const started = Date.now();
const log = (message) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${message}`);

async function seed(url, latencyLabel) {
  const client = new UnkeyClient({ rootKey, baseUrl: url });
  const { data: api } = await client.apis.createApi({ name: `bench-${latencyLabel}` });
  const { data: created } = await client.keys.createKey({
    apiId: api.apiId,
    prefix: 'sk',
    name: 'bench',
    permissions: ['docs.read'],
  });
  const storm = await client.keys.createKey({ apiId: api.apiId, prefix: 'sk', name: 'storm' });
  await client.close();
  return { key: created.key, stormKey: storm.data.key };
}

function micro(env) {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(new URL('./micro.mjs', import.meta.url)), [], { env: { ...process.env, ...env } });
    child.once('message', (result) => {
      child.kill();
      resolve(result);
    });
    child.once('exit', (code) => code && reject(new Error(`micro.mjs exited with ${code}`)));
  });
}

const results = { rounds, durationS, connections };
try {
  // The key services sit with the load generator: in the warm-cache runs they are idle.
  const keyService = await startServer('servers/key-service.mjs', { ROOT_KEY: rootKey }, [], LOAD_CPU);
  const slowKeyService = await startServer(
    'servers/key-service.mjs',
    { ROOT_KEY: rootKey, LATENCY_MS: '5' },
    [],
    LOAD_CPU,
  );
  const { key } = await seed(keyService.url, 'local');
  const slow = await seed(slowKeyService.url, 'slow');
  const authHeaders = (value) => ({ authorization: `Bearer ${value}` });

  // 1. Warm cache, per framework.
  results.frameworks = {};
  const frameworkConfigurations = {
    // `noop`: an empty middleware/hook, what the framework charges for any one more step, for reference.
    // express `set-only`: a middleware that only assigns `req.apiKey`, what the property alone costs there.
    express: ['none', 'noop', 'set-only', 'keyguard'],
    koa: ['none', 'noop', 'keyguard'],
    fastify: ['none', 'noop', 'keyguard', 'bearer-auth'],
    hono: ['none', 'noop', 'keyguard', 'hono-bearer'],
    // `noop`: a global guard that lets everything through, what Nest charges for any guard.
    'nest-express': ['none', 'noop', 'keyguard'],
    'nest-fastify': ['none', 'noop', 'keyguard'],
  };
  for (const [framework, auths] of Object.entries(frameworkConfigurations)) {
    if (!want(framework)) continue;
    log(`${framework}: ${auths.join(' vs ')}`);
    const servers = [];
    for (const auth of auths) {
      servers.push({
        name: auth,
        server: await startServer('servers/app.mjs', {
          FRAMEWORK: framework,
          AUTH: auth,
          PROVIDER_URL: keyService.url,
          ROOT_KEY: rootKey,
          KEY: key,
        }),
      });
    }
    results.frameworks[framework] = await compareInterleaved(servers, rounds, {
      path: '/hello',
      connections,
      durationS,
      headers: authHeaders(key),
    });
    await Promise.all(servers.map(({ server }) => server.stop()));
  }

  // 2. Against Unkey's own middleware, with 5 ms added upstream latency.
  if (want('peers')) {
    log('@unkey/hono vs keyguard on Hono, 5 ms upstream');
    const peers = [
      {
        name: 'unkey-hono',
        server: await startServer('servers/app.mjs', {
          FRAMEWORK: 'hono',
          AUTH: 'unkey-hono',
          PROVIDER_URL: slowKeyService.url,
          ROOT_KEY: rootKey,
          KEY: slow.key,
        }),
      },
      {
        name: 'keyguard',
        server: await startServer('servers/app.mjs', {
          FRAMEWORK: 'hono',
          AUTH: 'keyguard',
          PROVIDER_URL: slowKeyService.url,
          ROOT_KEY: rootKey,
          KEY: slow.key,
        }),
      },
    ];
    results.peers = await compareInterleaved(peers, rounds, {
      path: '/hello',
      connections,
      durationS,
      headers: authHeaders(slow.key),
    });
    await Promise.all(peers.map(({ server }) => server.stop()));
  }

  // 3. Cold key storm: 1,000 concurrent requests with one new key.
  if (want('storm')) {
    log('cold key storm');
    const stormServer = await startServer('servers/app.mjs', {
      FRAMEWORK: 'hono',
      AUTH: 'keyguard',
      PROVIDER_URL: slowKeyService.url,
      ROOT_KEY: rootKey,
      KEY: slow.key,
    });
    const callsBefore = (await slowKeyService.stats()).verifyCalls;
    const storm = await runLoad({
      url: `${stormServer.url}/hello`,
      connections: 1000,
      amount: 1000,
      headers: authHeaders(slow.stormKey),
    });
    results.storm = {
      requests: storm.total,
      non2xx: storm.non2xx,
      errors: storm.errors,
      providerCalls: (await slowKeyService.stats()).verifyCalls - callsBefore,
    };
    await stormServer.stop();
  }

  // 4. Flood of random invalid keys, with a valid key sent throughout.
  if (want('flood')) {
    log(`flood of random keys for ${floodS} s`);
    const floodServer = await startServer('servers/app.mjs', {
      FRAMEWORK: 'hono',
      AUTH: 'keyguard-flood',
      PROVIDER_URL: keyService.url,
      ROOT_KEY: rootKey,
      KEY: key,
    });
    const heapBefore = (await floodServer.stats()).memory.heapUsed;
    const [flood, valid] = await Promise.all([
      runLoad({ url: `${floodServer.url}/hello`, connections, durationS: floodS, randomBearerKeys: true }),
      runLoad({
        url: `${floodServer.url}/hello`,
        connections: 2,
        durationS: floodS,
        overallRate: 200,
        headers: authHeaders(key),
      }),
    ]);
    const floodStats = await floodServer.stats();
    const sources = floodStats.validKeySources;
    const validTotal = sources.cache + sources.stale + sources.upstream;
    results.flood = {
      floodRequests: flood.total,
      floodRps: flood.rps,
      validRequests: valid.total,
      validNon2xx: valid.non2xx,
      validHitRate: validTotal ? (sources.cache + sources.stale) / validTotal : NaN,
      heapBeforeMb: heapBefore / 2 ** 20,
      peakHeapMb: floodStats.peakHeap / 2 ** 20,
      negativeEntries: floodStats.verifierStats.negativeEntries,
      durationS: floodS,
    };
    await floodServer.stop();
  }

  // 5 and 6. Micro: cache hit vs floor; provider call CPU vs @unkey/api.
  if (want('micro')) {
    log('micro benchmarks');
    results.micro = await micro({ PROVIDER_URL: keyService.url, ROOT_KEY: rootKey, KEY: key });
  }

  // 7. The local key service alone vs a bare node:http hello world: bench/server-verify.mjs's rows (a plain key,
  // one with credits, one with a rate limit, each again with the dashboard's live feed open), services on SQLite.
  if (want('key-service')) {
    log('key service vs bare node:http: verifyKey of three kinds of key, without and with the live feed open');
    results.keyService = await verifyComparison({ rootKey, rounds, durationS, connections });
  }
  // 8. A fleet of instances on Redis: provider calls with and without the shared cache, revocation latency.
  if (want('fleet')) results.fleet = await fleetBenchmark({ keyService, rootKey, log });

  // 9. Telemetry on the cached path: @opentelemetry/api absent, present without an SDK, present with one registered.
  if (want('telemetry')) {
    log('telemetry: cached path with @opentelemetry/api absent, present without an SDK, and with an SDK');
    results.telemetry = await telemetryComparison(
      { PROVIDER_URL: keyService.url, ROOT_KEY: rootKey, KEY: key },
      (servers) =>
        compareInterleaved(servers, rounds, { path: '/hello', connections, durationS, headers: authHeaders(key) }),
    );
  }
  await keyService.stop();
  await slowKeyService.stop();

  // 10. Metered keys: plain vs strict vs batched vs @unkey/hono at 5 ms and 25 ms upstream, and a cold flood at 25 ms.
  if (want('metered')) results.metered = await meteredBenchmarks({ rootKey, rounds, durationS, quick, log });

  // 11. The same metered configurations in instructions per request (callgrind), where valgrind is installed.
  if (want('instructions')) {
    // Two runs each: counts of one configuration agree within about 1 % (in a 2-core machine's noise or not).
    if (instructionsAvailable())
      results.instructions = await instructionBenchmarks({ rootKey, runs: quick ? 1 : 2, quick, log });
    else log('instructions per request: skipped, valgrind is not installed (Debian: apt-get install valgrind)');
  }

  const versionOf = (path) => {
    try {
      return JSON.parse(readFileSync(fileURLToPath(new URL(path, import.meta.url)), 'utf8')).version;
    } catch {
      return '?';
    }
  };
  const versions = {
    node: process.version,
    ...Object.fromEntries(
      [
        'express',
        'fastify',
        'hono',
        'koa',
        '@nestjs/core',
        '@unkey/hono',
        '@unkey/api',
        '@fastify/bearer-auth',
        'autocannon',
        'ioredis',
      ].map((name) => [name, versionOf(`./node_modules/${name}/package.json`)]),
    ),
    undici: versionOf('../packages/core/node_modules/undici/package.json'),
    'lru-cache': versionOf('../packages/core/node_modules/lru-cache/package.json'),
  };
  writeResults(results, versions, {
    quick,
    partial: Boolean(only),
    save: Boolean(only) && process.argv.includes('--save'),
    sections: only ? [...only] : undefined,
    seconds: (Date.now() - started) / 1000,
  });
} finally {
  stopAll();
}
