// `node bench/server-verify.mjs [--before=<checkout>] [--rounds=3] [--duration=5] [--profile]`: the local key
// service's `keys.verifyKey` against a bare node:http hello, each server its own process pinned to one core and the
// load (autocannon) on the other, configurations interleaved. Rows: a plain key, a key with credits, a key with an
// auto-applied rate limit, and (where the server has a dashboard) the first two with its live feed open. The service runs on a SQLite file (WAL), as `keyguard serve --db` does.
// `--before`: the same rows against another built checkout's server, in the same run.
// `--profile`: instead, one run per row under `node --cpu-prof`, and the frames with the most self time;
// `--profile-dir=<dir>` keeps the profiles there (for Chrome's DevTools).
// `--instructions`: instead, instructions per request under valgrind's callgrind (lib/verify-instructions.mjs), which
// the machine's load barely moves; one process per row.
import { randomBytes } from 'node:crypto';
import { request } from 'node:http';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { summariseProfile } from './lib/cpu-profile.mjs';
import { fixed, table, thousands } from './lib/format.mjs';
import { compareInterleaved } from './lib/measure.mjs';
import { SERVER_CPU, runLoad, startServer, stopAll } from './lib/processes.mjs';
import { callgrindLauncher, countRequests, instructionsFolder } from './lib/verify-instructions.mjs';

const option = (name, fallback) =>
  process.argv.find((argument) => argument.startsWith(`--${name}=`))?.slice(name.length + 3) ?? fallback;
const rounds = Number(option('rounds', '3'));
const durationS = Number(option('duration', '5'));
const before = option('before', undefined);
const profile = process.argv.some((argument) => argument.startsWith('--profile'));
const connections = 50;
const rootKey = `bench_root_${randomBytes(16).toString('hex')}`;
const folder = mkdtempSync(join(tmpdir(), 'keyguard-verify-bench-'));

/** A key service process and the three keys it verifies (created through its own API). */
async function keyService(name, entry, execArgv = [], launcher = undefined) {
  const env = { ROOT_KEY: rootKey, DATABASE: join(folder, `${name}.sqlite`) };
  if (entry) env.SERVER_ENTRY = entry;
  const server = await startServer('servers/verify-service.mjs', env, execArgv, SERVER_CPU, launcher);
  const call = async (operation, body) => {
    const response = await fetch(`${server.url}/v2/${operation}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${operation}: ${response.status} ${await response.text()}`);
    return (await response.json()).data;
  };
  const { apiId } = await call('apis.createApi', { name: 'verify-bench' });
  const create = async (extra) => (await call('keys.createKey', { apiId, prefix: 'sk', ...extra })).key;
  const keys = {
    plain: await create({ name: 'plain' }),
    credits: await create({ name: 'credits', credits: { remaining: 1_000_000_000 } }),
    ratelimit: await create({
      name: 'ratelimit',
      ratelimits: [{ name: 'requests', limit: 1_000_000_000, duration: 60_000, autoApply: true }],
    }),
  };
  return { server, keys };
}

const verifyLoad = (key) => ({
  path: '/v2/keys.verifyKey',
  method: 'POST',
  body: JSON.stringify({ key }),
  headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
});

const ROWS = [
  ['plain', 'verifyKey, plain key'],
  ['credits', 'verifyKey, key with credits'],
  ['ratelimit', 'verifyKey, key with a rate limit'],
];

async function profileRows() {
  const dir = option('profile-dir', join(folder, 'profiles'));
  for (const [kind, label] of ROWS) {
    const { server, keys } = await keyService(`profile-${kind}`, undefined, [
      '--cpu-prof',
      `--cpu-prof-dir=${dir}/${kind}`,
    ]);
    await runLoad({ ...verifyLoad(keys[kind]), url: `${server.url}/v2/keys.verifyKey`, connections, durationS });
    await server.stop();
    const [file] = readdirSync(`${dir}/${kind}`);
    const summary = summariseProfile(`${dir}/${kind}/${file}`, 30);
    console.log(`\n## ${label}: ${summary.samples} samples, top self time`);
    for (const { what, share } of summary.frames) console.log(`${(share * 100).toFixed(1).padStart(5)} %  ${what}`);
  }
}

async function instructionRows() {
  const checkouts = [['', undefined]];
  if (before) checkouts.push([' (before)', resolve(before, 'packages/server/dist/index.js')]);
  const rows = [];
  const hello = instructionsFolder();
  const helloServer = await startServer('servers/hello.mjs', {}, [], SERVER_CPU, callgrindLauncher(hello));
  rows.push(['node:http hello', await countRequests(helloServer, hello, { path: '/', method: 'GET' })]);
  for (const [kind, label] of ROWS) {
    for (const [suffix, entry] of checkouts) {
      const outputs = instructionsFolder();
      const { server, keys } = await keyService(`${kind}${suffix}`, entry, [], callgrindLauncher(outputs));
      rows.push([`${label}${suffix}`, await countRequests(server, outputs, verifyLoad(keys[kind]))]);
    }
  }
  const hello0 = rows[0][1].instructionsPerRequest;
  console.log(
    `\ninstructions per request under callgrind (V8's optimizing compilers left out), Node ${process.version}\n`,
  );
  console.log(
    table(
      ['configuration', 'instructions/req', '× hello', 'non-2xx + errors'],
      rows.map(([name, row]) => [
        name,
        thousands(row.instructionsPerRequest),
        fixed(row.instructionsPerRequest / hello0, 1),
        String(row.non2xx),
      ]),
    ),
  );
}

/** A client of the dashboard's live feed (`/dashboard/events`) that reads and drops every event; none without one. */
function subscribeFeed(server) {
  return new Promise((resolve) => {
    const feed = request(
      `${server.url}/dashboard/events`,
      { headers: { authorization: `Bearer ${rootKey}`, accept: 'text/event-stream' } },
      (response) => {
        response.resume();
        resolve(response.statusCode === 200 ? feed : undefined);
      },
    );
    feed.on('error', () => resolve(undefined));
    feed.end();
  });
}

async function compareRows() {
  const hello = await startServer('servers/hello.mjs');
  const configurations = [{ name: 'node:http hello', server: hello, load: { path: '/', method: 'GET' } }];
  const services = [['', await keyService('this')]];
  if (before)
    services.push([' (before)', await keyService('before', resolve(before, 'packages/server/dist/index.js'))]);
  for (const [kind, label] of ROWS)
    for (const [suffix, { server, keys }] of services)
      configurations.push({ name: `${label}${suffix}`, server, load: verifyLoad(keys[kind]) });
  // The same key service with the dashboard's live feed open: every verification is then published to it.
  const watched = await keyService('feed');
  if (await subscribeFeed(watched.server)) {
    for (const [kind, label] of ROWS.slice(0, 2))
      configurations.push({
        name: `${label}, live feed open`,
        server: watched.server,
        load: verifyLoad(watched.keys[kind]),
      });
  }
  const summary = await compareInterleaved(configurations, rounds, { connections, durationS });
  const hello0 = summary['node:http hello'];
  const rows = Object.entries(summary).map(([name, row]) => [
    name,
    thousands(row.rps),
    fixed(row.rps / hello0.rps),
    fixed(row.cpuPerRequestUs, 1),
    fixed(row.cpuPerRequestUs / hello0.cpuPerRequestUs, 1),
    String(row.p99),
    row.rounds.map(thousands).join(' / '),
    String(row.non2xx + row.errors),
  ]);
  console.log(
    `\n${rounds} interleaved rounds of ${durationS} s, ${connections} connections, Node ${process.version}, medians\n`,
  );
  console.log(
    table(
      [
        'configuration',
        'req/s',
        '× hello',
        'CPU µs/req',
        'CPU × hello',
        'p99 ms',
        'per round req/s',
        'non-2xx + errors',
      ],
      rows,
    ),
  );
}

try {
  if (profile) await profileRows();
  else if (process.argv.includes('--instructions')) await instructionRows();
  else await compareRows();
} finally {
  stopAll();
  rmSync(folder, { recursive: true, force: true });
}
