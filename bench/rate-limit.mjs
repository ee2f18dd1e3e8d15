// `node bench/rate-limit.mjs [--rounds=3] [--duration=5]`: keyguard's rateLimit() on Express (memory, Redis batched
// and strict, Unkey batched and strict against the local key service 5 ms away) side by side with the peers —
// express-rate-limit (memory, rate-limit-redis), @fastify/rate-limit (memory, Redis) and @unkey/ratelimit — in one
// run: every server its own process on core 0, autocannon on core 1, configurations interleaved (A B C … A B C …),
// medians of the rounds. Prints req/s, the server's CPU per request, what the limiter adds over its framework
// alone, and the ratios the targets name. Every request is admitted (limit 1e9 a minute), so this is the admit path.
import { randomBytes } from 'node:crypto';
import { fixed } from './lib/format.mjs';
import { countOnce, instructionsAvailable } from './lib/instructions.mjs';
import { compareInterleaved, median } from './lib/measure.mjs';
import { LOAD_CPU, startServer, stopAll } from './lib/processes.mjs';
import { startRedis } from './lib/redis.mjs';

const argument = (name, fallback) =>
  Number(process.argv.find((each) => each.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback);
const rounds = argument('rounds', 3);
const durationS = argument('duration', 5);
// `--instructions`: each server under valgrind's callgrind instead, instructions per request (they barely move when
// the machine is busy, where req/s and CPU time swing by 2× within minutes); `--runs=N` processes each, medians.
const instructions = process.argv.includes('--instructions');
const runs = argument('runs', 1);
const rootKey = `bench_root_${randomBytes(16).toString('hex')}`;

/** Configuration → the framework it runs on (its limiter-free baseline). */
const CONFIGURATIONS = {
  express: 'express',
  'express-noop': 'express',
  'keyguard-memory': 'express',
  'express-rate-limit': 'express',
  fastify: 'fastify',
  'fastify-rate-limit': 'fastify',
  'keyguard-fastify': 'fastify',
  'keyguard-redis': 'express',
  'keyguard-redis-strict': 'express',
  'express-rate-limit-redis': 'express',
  'fastify-rate-limit-redis': 'fastify',
  'keyguard-fastify-redis': 'fastify',
  'keyguard-unkey': 'express',
  'keyguard-unkey-strict': 'express',
  'unkey-ratelimit': 'express',
};

const ratio = (a, b) => (a / b).toFixed(2);

/** Every configuration's server at once, load interleaved: req/s, CPU per request and what the limiter adds. */
async function timed(env) {
  const configurations = [];
  for (const name of NAMES)
    configurations.push({ name, server: await startServer('rate-limit-server.mjs', { ...env, CONFIG: name }) });
  console.log(`${configurations.length} servers up; ${rounds} rounds of ${durationS} s each, 50 connections`);
  const summary = await compareInterleaved(configurations, rounds, { path: '/hello', connections: 50, durationS });
  await Promise.all(configurations.map(({ server }) => server.stop()));
  const cpu = (name) => summary[name].cpuPerRequestUs;
  const added = (name) => cpu(name) - cpu(CONFIGURATIONS[name]);
  console.log(
    `\n${'configuration'.padEnd(26)} ${'req/s'.padStart(8)} ${'CPU µs/req'.padStart(11)} ${'added'.padStart(7)} ${'p99 ms'.padStart(7)}  non-2xx`,
  );
  for (const name of NAMES) {
    const figures = summary[name];
    const extra = name === CONFIGURATIONS[name] ? '' : fixed(added(name), 1);
    console.log(
      `${name.padEnd(26)} ${Math.round(figures.rps).toLocaleString('en-US').padStart(8)} ${fixed(cpu(name), 1).padStart(11)} ${extra.padStart(7)} ${fixed(figures.p99, 1).padStart(7)}  ${figures.non2xx + figures.errors}`,
    );
  }
  console.log(`\nraw: ${JSON.stringify(summary)}`);
  if (only) return;
  const rps = (name) => summary[name].rps;
  console.log('\ntargets (CPU: see --instructions for figures a busy machine does not move):');
  console.log(
    `  memory, CPU/request: keyguard / express-rate-limit × ${ratio(cpu('keyguard-memory'), cpu('express-rate-limit'))}; added over the framework: keyguard ${fixed(added('keyguard-memory'), 1)} µs, express-rate-limit ${fixed(added('express-rate-limit'), 1)} µs, @fastify/rate-limit ${fixed(added('fastify-rate-limit'), 1)} µs`,
  );
  // Each framework's keyguard against that framework's peers.
  const pairs = [
    ['keyguard-redis', 'express-rate-limit-redis'],
    ['keyguard-fastify-redis', 'fastify-rate-limit-redis'],
    ['keyguard-fastify', 'fastify-rate-limit'],
  ];
  for (const [ours, peer] of pairs)
    console.log(
      `  ${ours} / ${peer}: req/s × ${ratio(rps(ours), rps(peer))}, CPU/request × ${ratio(cpu(ours), cpu(peer))}`,
    );
  console.log(
    `  Unkey 5 ms away: keyguard batched / @unkey/ratelimit req/s × ${ratio(rps('keyguard-unkey'), rps('unkey-ratelimit'))}; keyguard strict / @unkey/ratelimit × ${ratio(rps('keyguard-unkey-strict'), rps('unkey-ratelimit'))}`,
  );
}

/** Each configuration's server alone under callgrind, `runs` processes each: instructions per request, medians. */
async function counted(env, keyService) {
  if (!instructionsAvailable()) throw new Error('--instructions needs valgrind (apt-get install valgrind)');
  const measured = new Map(NAMES.map((name) => [name, []]));
  for (let run = 0; run < runs; run++)
    for (const name of NAMES) {
      const configuration = { script: 'rate-limit-server.mjs', env: { ...env, CONFIG: name } };
      const result = await countOnce(configuration, keyService, rootKey, 'none', { warmUp: 4000, requests: 2000 });
      measured.get(name).push(result);
      console.log(
        `  ${name}: ${Math.round(result.instructionsPerRequest).toLocaleString('en-US')} instructions/request`,
      );
    }
  const per = (name) => median((measured.get(name) ?? []).map((result) => result.instructionsPerRequest));
  const added = (name) => per(name) - per(CONFIGURATIONS[name]);
  console.log(`\n${'configuration'.padEnd(26)} ${'instructions/req'.padStart(17)} ${'added'.padStart(9)}  non-2xx`);
  for (const name of NAMES) {
    const extra = name === CONFIGURATIONS[name] ? '' : Math.round(added(name)).toLocaleString('en-US');
    const failed = measured.get(name).reduce((sum, result) => sum + result.non2xx, 0);
    console.log(
      `${name.padEnd(26)} ${Math.round(per(name)).toLocaleString('en-US').padStart(17)} ${extra.padStart(9)}  ${failed}`,
    );
  }
  console.log(`\nraw: ${JSON.stringify(Object.fromEntries(measured))}`);
  if (only) return;
  console.log(
    `\nmemory: keyguard / express-rate-limit × ${ratio(per('keyguard-memory'), per('express-rate-limit'))} per request; added ${ratio(added('keyguard-memory'), added('express-rate-limit'))} × express-rate-limit's, ${ratio(added('keyguard-memory'), added('fastify-rate-limit'))} × @fastify/rate-limit's`,
  );
  for (const [ours, peer] of [
    ['keyguard-redis', 'express-rate-limit-redis'],
    ['keyguard-fastify', 'fastify-rate-limit'],
    ['keyguard-fastify-redis', 'fastify-rate-limit-redis'],
  ])
    console.log(`${ours} / ${peer}: × ${ratio(per(ours), per(peer))} per request`);
  console.log(
    `Unkey: keyguard batched added ${ratio(added('keyguard-unkey'), added('unkey-ratelimit'))} × @unkey/ratelimit's`,
  );
}

// `--only=express-noop,keyguard-memory`: those configurations alone (their figures against absent ones print n/a).
const only = process.argv
  .find((each) => each.startsWith('--only='))
  ?.slice('--only='.length)
  .split(',');
const NAMES = Object.keys(CONFIGURATIONS).filter((name) => !only || only.includes(name));

const redis = await startRedis();
if (!redis) throw new Error('redis-server is needed (apt-get install redis-server)');
try {
  // The key service sits with the load generator, 5 ms away, as a nearby region would be.
  const keyService = await startServer('servers/key-service.mjs', { ROOT_KEY: rootKey, LATENCY_MS: '5' }, [], LOAD_CPU);
  const env = { REDIS_URL: redis.url, UNKEY_URL: keyService.url, ROOT_KEY: rootKey };
  if (instructions) await counted(env, keyService);
  else await timed(env);
  await keyService.stop();
} finally {
  stopAll();
  await redis.stop();
}
