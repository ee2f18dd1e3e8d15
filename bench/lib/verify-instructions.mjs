// The key service's verifyKey rows in instructions per request (callgrind), as lib/instructions.mjs counts the
// metered apps: steady where req/s and CPU time swing with the machine's load.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { dumpedInstructions } from './instructions.mjs';
import { runLoad } from './processes.mjs';

const control = (pid, ...args) => execFileSync('callgrind_control', [...args, String(pid)], { stdio: 'pipe' });

/** `valgrind` as the launcher of startServer, writing into `folder`, collection off until switched on. */
export const callgrindLauncher = (folder) => ({
  command: 'valgrind',
  args: [
    '--quiet',
    '--tool=callgrind',
    '--smc-check=all',
    '--instr-atstart=no',
    `--callgrind-out-file=${join(folder, 'callgrind.%p')}`,
  ],
});

export const instructionsFolder = () => mkdtempSync(join(tmpdir(), 'keyguard-callgrind-'));

/** Instructions per request of `load` against a server started under callgrindLauncher(folder), warm first. */
export async function countRequests(server, folder, load, { warmUp = 2000, requests = 1000 } = {}) {
  try {
    const url = server.url + load.path;
    const base = { ...load, url, connections: 50, timeoutS: 120 };
    await runLoad({ ...base, amount: warmUp });
    control(server.child.pid, '--instr=on');
    await runLoad({ ...base, amount: 1000 });
    const before = await server.stats();
    control(server.child.pid, '--zero');
    const result = await runLoad({ ...base, amount: requests });
    control(server.child.pid, '--dump=measured');
    const after = await server.stats();
    const instructions = await dumpedInstructions(folder);
    const served = after.served - before.served;
    return {
      instructionsPerRequest: served > 0 ? (instructions.total - instructions.compiler) / served : NaN,
      non2xx: result.non2xx + result.errors,
    };
  } finally {
    await server.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}
