// The metered configurations counted in instructions instead of seconds: each app runs under valgrind's callgrind,
// which counts the instructions the process executes (every thread, user space only, not the kernel's work for its
// sockets). The count for the same work barely moves when the machine is busy or slow, unlike req/s and CPU time,
// which on the project's 2-core machine swing by 2× within minutes. The load is autocannon's, as elsewhere; under
// callgrind the app runs some 50× slower, so it is always the busy side and reads many requests per event-loop turn.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from './measure.mjs';
import { seedMeteredKeys } from './metered.mjs';
import { LOAD_CPU, runLoad, startServer } from './processes.mjs';

export const INSTRUCTIONS_LATENCY_MS = 5;

const CONFIGURATIONS = [
  { name: 'plain key', env: { AUTH: 'keyguard' }, key: 'plain' },
  { name: 'metered batched', env: { AUTH: 'keyguard-batched' }, key: 'metered' },
  {
    name: 'metered batched, no RateLimit headers',
    env: { AUTH: 'keyguard-batched', RATE_LIMIT_HEADERS: 'none' },
    key: 'metered',
  },
  { name: 'metered strict', env: { AUTH: 'keyguard' }, key: 'metered' },
  { name: '@unkey/hono (metered)', env: { AUTH: 'unkey-hono' }, key: 'metered' },
  // No keyguard: what the four draft-6 RateLimit header lines cost Hono's Node server by themselves.
  { name: 'Hono alone', script: 'servers/hono-headers.mjs', env: { HEADERS: 'none' }, key: 'plain' },
  {
    name: 'Hono alone, four RateLimit headers',
    script: 'servers/hono-headers.mjs',
    env: { HEADERS: 'draft-6' },
    key: 'plain',
  },
];

function onPath(command) {
  try {
    execFileSync(command, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Whether this machine can count instructions (Debian: `apt-get install valgrind`). */
export const instructionsAvailable = () => onPath('valgrind') && onPath('callgrind_control');

/** Functions of V8's optimizing compilers (TurboFan and its Turboshaft back end, Maglev), by their C++ names. */
const COMPILER = /v8::internal::(compiler|maglev|turboshaft)::/;

const callgrindControl = (pid, ...args) => execFileSync('callgrind_control', [...args, String(pid)], { stdio: 'pipe' });

/**
 * Instructions in the first dump in `folder`, once callgrind has written it whole (it can lag the request), without
 * those of V8's optimizing compilers: they finish warming a process up at a different point in each run (code that
 * runs once per batch is optimized late), and left in they move a run's count by up to a third; left out, two runs of
 * one configuration mostly agree within about 1 % (6 % at most in the saved run).
 */
export async function dumpedInstructions(folder) {
  for (let attempt = 0; attempt < 100; attempt++) {
    const dump = readdirSync(folder).find((name) => name.endsWith('.1'));
    if (dump && /^(?:summary|totals): \d+/m.test(readFileSync(join(folder, dump), 'utf8'))) {
      const perFunction = execFileSync('callgrind_annotate', ['--threshold=100', join(folder, dump)], {
        encoding: 'utf8',
        maxBuffer: 256 * 2 ** 20,
      });
      let total = 0;
      let compiler = 0;
      for (const line of perFunction.split('\n')) {
        const row = /^\s*([\d,]+) \([^)]*\)\s+(.*)$/.exec(line);
        if (!row || row[2].includes('PROGRAM TOTALS')) continue;
        const instructions = Number(row[1].replaceAll(',', ''));
        total += instructions;
        if (COMPILER.test(row[2])) compiler += instructions;
      }
      return { total, compiler };
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return { total: NaN, compiler: NaN };
}

/** Instructions the app executed over `requests` requests, counted from a warm process: one measured run. */
export async function countOnce(configuration, keyService, rootKey, key, { warmUp, requests }) {
  const outputs = mkdtempSync(join(tmpdir(), 'keyguard-callgrind-'));
  // Collection starts switched off (the start and the JIT's warm-up are not counted) and is switched on, zeroed and
  // dumped around the measured requests. --smc-check=all: V8 writes the machine code it runs.
  const launcher = {
    command: 'valgrind',
    args: [
      '--quiet',
      '--tool=callgrind',
      '--smc-check=all',
      '--instr-atstart=no',
      `--callgrind-out-file=${join(outputs, 'callgrind.%p')}`,
    ],
  };
  const app = await startServer(
    configuration.script ?? 'servers/app.mjs',
    { FRAMEWORK: 'hono', PROVIDER_URL: keyService.url, ROOT_KEY: rootKey, ...configuration.env },
    [],
    undefined,
    launcher,
  );
  try {
    // Under callgrind a request to @unkey/hono's app can wait longer than autocannon's usual 10 s.
    const load = {
      url: `${app.url}/hello`,
      headers: { authorization: `Bearer ${key}` },
      connections: 50,
      timeoutS: 120,
    };
    await runLoad({ ...load, amount: warmUp });
    callgrindControl(app.child.pid, '--instr=on');
    await runLoad({ ...load, amount: 1000 });
    const [appBefore, serviceBefore] = await Promise.all([app.stats(), keyService.stats()]);
    callgrindControl(app.child.pid, '--zero');
    const result = await runLoad({ ...load, amount: requests });
    callgrindControl(app.child.pid, '--dump=measured');
    const [appAfter, serviceAfter] = await Promise.all([app.stats(), keyService.stats()]);
    const instructions = await dumpedInstructions(outputs);
    const served = appAfter.served - appBefore.served;
    return {
      instructionsPerRequest: served > 0 ? (instructions.total - instructions.compiler) / served : NaN,
      compilerPerRequest: served > 0 ? instructions.compiler / served : NaN,
      upstreamPerRequest: served > 0 ? (serviceAfter.verifyCalls - serviceBefore.verifyCalls) / served : NaN,
      non2xx: result.non2xx + result.errors,
    };
  } finally {
    await app.stop();
    rmSync(outputs, { recursive: true, force: true });
  }
}

/** Instructions per request of each configuration, `runs` runs each (a new process per run), medians. */
export async function instructionBenchmarks({ rootKey, runs: runsEach, quick, log }) {
  const keyService = await startServer(
    'servers/key-service.mjs',
    { ROOT_KEY: rootKey, LATENCY_MS: String(INSTRUCTIONS_LATENCY_MS) },
    [],
    LOAD_CPU,
  );
  try {
    const keys = await seedMeteredKeys(keyService.url, rootKey, 'instructions', 0);
    const sizes = { warmUp: 15_000, requests: quick ? 1000 : 2000 };
    log(
      `instructions per request under callgrind, key service ${INSTRUCTIONS_LATENCY_MS} ms away: ${CONFIGURATIONS.map(({ name }) => name).join(' vs ')}`,
    );
    const runs = new Map(CONFIGURATIONS.map(({ name }) => [name, []]));
    for (let round = 0; round < runsEach; round++) {
      for (const configuration of CONFIGURATIONS)
        runs
          .get(configuration.name)
          .push(await countOnce(configuration, keyService, rootKey, keys[configuration.key], sizes));
    }
    const configurations = {};
    for (const [name, measured] of runs) {
      configurations[name] = {
        instructionsPerRequest: median(measured.map((run) => run.instructionsPerRequest)),
        compilerPerRequest: median(measured.map((run) => run.compilerPerRequest)),
        upstreamPerRequest: median(measured.map((run) => run.upstreamPerRequest)),
        non2xx: measured.reduce((sum, run) => sum + run.non2xx, 0),
        rounds: measured.map((run) => Math.round(run.instructionsPerRequest)),
      };
    }
    return { latencyMs: INSTRUCTIONS_LATENCY_MS, requests: sizes.requests, configurations };
  } finally {
    await keyService.stop();
  }
}
