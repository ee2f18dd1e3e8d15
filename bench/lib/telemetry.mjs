// The telemetry comparison: the same Hono server and the same micro benchmark, each in processes of three
// configurations. NODE_PATH is cleared in all three (pnpm sets it to its whole store), so modules resolve as in an
// installed app: core finds @opentelemetry/api through its own dependencies, or, with the preload, not at all.
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { median } from './measure.mjs';
import { startServer } from './processes.mjs';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

export const TELEMETRY_CONFIGURATIONS = {
  'API absent': ['--import', here('./without-opentelemetry.mjs')],
  'API, no SDK': [],
  'API + SDK': ['--import', here('./opentelemetry-sdk.mjs')],
};

function microOnce(execArgv) {
  return new Promise((resolve, reject) => {
    const child = fork(here('../telemetry-micro.mjs'), [], { execArgv, env: { ...process.env, NODE_PATH: '' } });
    child.once('message', (result) => {
      child.kill();
      resolve(result);
    });
    child.once('exit', (code) => code && reject(new Error(`telemetry-micro.mjs exited with ${code}`)));
  });
}

/** Load on a warm-cache Hono server per configuration (`compare` runs them interleaved), then the micro benchmark. */
export async function telemetryComparison(env, compare) {
  const servers = [];
  for (const [name, execArgv] of Object.entries(TELEMETRY_CONFIGURATIONS)) {
    servers.push({
      name,
      server: await startServer(
        'servers/app.mjs',
        { ...env, NODE_PATH: '', FRAMEWORK: 'hono', AUTH: 'keyguard' },
        execArgv,
      ),
    });
  }
  const load = await compare(servers);
  await Promise.all(servers.map(({ server }) => server.stop()));
  // Micro: one process per configuration and round, interleaved (A B C A B C …), medians over rounds.
  const runs = Object.fromEntries(Object.keys(TELEMETRY_CONFIGURATIONS).map((name) => [name, []]));
  for (let round = 0; round < 3; round++) {
    for (const [name, execArgv] of Object.entries(TELEMETRY_CONFIGURATIONS)) runs[name].push(await microOnce(execArgv));
  }
  const micro = Object.fromEntries(
    Object.entries(runs).map(([name, results]) => [
      name,
      {
        verifyOps: median(results.map((result) => result.verifyOps)),
        verifyCachedOps: median(results.map((result) => result.verifyCachedOps)),
        recorded: results.at(-1).recorded,
      },
    ]),
  );
  return { load, micro };
}
