// `node bench/compare-checkouts.mjs <other checkout> [--frameworks=hono,express] [--rounds=5]`: the cached path of
// this checkout against another one (an older commit, built: `git worktree add ../before <commit> && cd ../before &&
// pnpm install && pnpm build`), interleaved in one run with the same key service, load and empty-middleware reference.
// Machines drift by more than a change costs, so figures from two runs on different days cannot tell a regression;
// this can. Prints CPU µs per request over the empty middleware for each checkout, and req/s ratios.
// `--instructions`: counts instructions per request under callgrind instead (bench/lib/instructions.mjs), which the
// machine's load barely moves: `--rounds` processes per checkout (default 3), medians.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UnkeyClient } from '@keyguard/unkey';
import { countOnce, instructionsAvailable } from './lib/instructions.mjs';
import { compareInterleaved, median } from './lib/measure.mjs';
import { LOAD_CPU, startServer, stopAll } from './lib/processes.mjs';

const other = process.argv.slice(2).find((argument) => !argument.startsWith('--'));
const option = (name, fallback) =>
  process.argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
if (!other) {
  console.error('usage: node bench/compare-checkouts.mjs <other checkout> [--frameworks=hono,express] [--rounds=5]');
  process.exit(2);
}
const otherApp = resolve(other, 'bench/servers/app.mjs');
if (!existsSync(otherApp)) {
  console.error(`${otherApp} does not exist: pass the root of another keyguard checkout`);
  process.exit(2);
}
const thisApp = fileURLToPath(new URL('./servers/app.mjs', import.meta.url));
const frameworks = option('frameworks', 'hono,express').split(',');
const rounds = Number(option('rounds', '5'));
const rootKey = `bench_root_${randomBytes(16).toString('hex')}`;

try {
  const keyService = await startServer('servers/key-service.mjs', { ROOT_KEY: rootKey }, [], LOAD_CPU);
  const client = new UnkeyClient({ rootKey, baseUrl: keyService.url });
  const { data: api } = await client.apis.createApi({ name: 'compare' });
  const { data: created } = await client.keys.createKey({
    apiId: api.apiId,
    prefix: 'sk',
    name: 'bench',
    permissions: ['docs.read'],
  });
  await client.close();
  const env = (framework, auth) => ({
    FRAMEWORK: framework,
    AUTH: auth,
    PROVIDER_URL: keyService.url,
    ROOT_KEY: rootKey,
    KEY: created.key,
  });
  if (process.argv.includes('--instructions')) {
    await compareInstructions(keyService, created.key);
    process.exit(0);
  }
  for (const framework of frameworks) {
    const servers = [
      { name: 'noop', server: await startServer(thisApp, env(framework, 'noop')) },
      { name: 'keyguard (this checkout)', server: await startServer(thisApp, env(framework, 'keyguard')) },
      { name: `keyguard (${other})`, server: await startServer(otherApp, env(framework, 'keyguard')) },
    ];
    const summary = await compareInterleaved(servers, rounds, {
      path: '/hello',
      connections: 50,
      durationS: 5,
      headers: { authorization: `Bearer ${created.key}` },
    });
    await Promise.all(servers.map(({ server }) => server.stop()));
    const noop = summary.noop;
    console.log(`\n${framework}: ${rounds} interleaved rounds of 5 s, 50 connections, medians`);
    console.log(
      '| configuration | req/s | × noop | CPU µs/req | CPU over noop µs | per round req/s | non-2xx + errors |',
    );
    console.log('|---|---|---|---|---|---|---|');
    for (const [name, figures] of Object.entries(summary)) {
      const over = name === 'noop' ? '' : (figures.cpuPerRequestUs - noop.cpuPerRequestUs).toFixed(1);
      console.log(
        `| ${name} | ${Math.round(figures.rps)} | ${(figures.rps / noop.rps).toFixed(2)} | ${figures.cpuPerRequestUs.toFixed(1)} | ${over} | ${figures.rounds.join(' / ')} | ${figures.non2xx + figures.errors} |`,
      );
    }
  }
} finally {
  stopAll();
}

/** Instructions per request of each checkout's cached path (and of the empty middleware), interleaved by round. */
async function compareInstructions(keyService, key) {
  if (!instructionsAvailable()) throw new Error('--instructions needs valgrind (apt-get install valgrind)');
  const runs = Math.max(1, Number(option('rounds', '3')));
  for (const framework of frameworks) {
    const configurations = [
      { name: 'noop', script: thisApp, env: { FRAMEWORK: framework, AUTH: 'noop' } },
      { name: 'keyguard (this checkout)', script: thisApp, env: { FRAMEWORK: framework, AUTH: 'keyguard' } },
      { name: `keyguard (${other})`, script: otherApp, env: { FRAMEWORK: framework, AUTH: 'keyguard' } },
    ];
    const counted = new Map(configurations.map(({ name }) => [name, []]));
    for (let round = 0; round < runs; round++)
      for (const configuration of configurations)
        counted
          .get(configuration.name)
          .push(await countOnce(configuration, keyService, rootKey, key, { warmUp: 15_000, requests: 2000 }));
    const noop = median(counted.get('noop').map((run) => run.instructionsPerRequest));
    console.log(
      `\n${framework}: instructions per request under callgrind (V8's compilers left out), ${runs} runs, medians`,
    );
    console.log('| configuration | instructions/req | over noop | per run | non-2xx |');
    console.log('|---|---|---|---|---|');
    for (const [name, measured] of counted) {
      const perRequest = median(measured.map((run) => run.instructionsPerRequest));
      const over = name === 'noop' ? '' : Math.round(perRequest - noop);
      const perRun = measured.map((run) => Math.round(run.instructionsPerRequest)).join(' / ');
      const non2xx = measured.reduce((sum, run) => sum + run.non2xx, 0);
      console.log(`| ${name} | ${Math.round(perRequest)} | ${over} | ${perRun} | ${non2xx} |`);
    }
  }
}
