// `node bench/server-verify.mjs [--before=<checkout>] [--rounds=3] [--duration=5] [--profile]`: the local key
// service's `keys.verifyKey` against a bare node:http hello, each server its own process pinned to one core and the
// load (autocannon) on the other, configurations interleaved. Rows: a plain key, a key with credits, a key with an
// auto-applied rate limit, and (where the server has a dashboard) the three again with its live feed open. The service
// runs on a SQLite file (WAL), as `keyguard serve --db` does (bench/lib/verify-service.mjs; `pnpm bench` runs the same
// rows in its key-service section).
// `--before`: the same rows against another built checkout's server, in the same run.
// `--profile`: instead, one run per row under `node --cpu-prof`, and the frames with the most self time;
// `--profile-dir=<dir>` keeps the profiles there (for Chrome's DevTools).
// `--instructions`: instead, instructions per request under valgrind's callgrind (lib/verify-instructions.mjs), which
// the machine's load barely moves; one process per row.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { summariseProfile } from './lib/cpu-profile.mjs';
import { fixed, table, thousands } from './lib/format.mjs';
import { runLoad, startServer, stopAll, SERVER_CPU } from './lib/processes.mjs';
import { keyService as startKeyService, ROWS, verifyComparison, verifyLoad as loadOf } from './lib/verify-service.mjs';
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
const keyService = (...rest) => startKeyService({ rootKey, folder }, ...rest);
const verifyLoad = (key) => loadOf(rootKey, key);

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

async function compareRows() {
  const summary = await verifyComparison({ rootKey, rounds, durationS, connections, before });
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
