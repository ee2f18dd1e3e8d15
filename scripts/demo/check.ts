import { spawn } from 'node:child_process';
import type { Banner } from './banner.js';
import { statusesIn, type DemoRequest } from './requests.js';

interface Outcome {
  ok: boolean;
  line: string;
}

/**
 * Runs printed shell lines as a person pasting them would, in bash from the repository root. Asynchronously:
 * the servers that answer them run in this very process.
 */
function shell(line: string, cwd: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', line], { cwd, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) => resolve({ status: null, output: error.message }));
    child.once('close', (status) => resolve({ status, output }));
  });
}

/** A denial printed by curl shows its problem body, not just a status. */
const showsProblemBody = (output: string): boolean =>
  /content-type: application\/problem\+json/i.test(output) && /"title":/.test(output);

/**
 * `pnpm demo --check`: every command the banner prints is run as printed — the curl commands must answer the
 * statuses they promise (denials with their problem bodies, and the headers a request says it shows), and the CLI
 * lines must list the demo's keys.
 */
export async function checkBanner(banner: Banner, requests: readonly DemoRequest[], cwd: string): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const [index, request] of requests.entries()) {
    const { output } = await shell(banner.curls[index] as string, cwd);
    const got = statusesIn(output);
    // A burst is judged by its last answer, the denial it exists to show.
    const denied = Number(request.expect.split(' ').at(-1)) >= 400;
    const missing = (request.shows ?? []).filter(({ pattern }) => !pattern.test(output)).map(({ what }) => what);
    const ok = got === request.expect && (!denied || showsProblemBody(output)) && missing.length === 0;
    const body = denied ? (showsProblemBody(output) ? ', problem body shown' : ', no problem body shown') : '';
    const shown = request.shows ? (missing.length > 0 ? `, missing ${missing.join(', ')}` : ', headers shown') : '';
    outcomes.push({
      ok,
      line: `${request.title}: expected ${request.expect}, got ${got || 'nothing'}${body}${shown}`,
    });
  }
  const cli = await shell(banner.cliLines.join('\n'), cwd);
  const keyRows = cli.output.split('\n').filter((line) => /^key_\S+\s+demo_/.test(line));
  outcomes.push({
    ok: cli.status === 0 && /^KEY ID\s+START\s+NAME/m.test(cli.output) && keyRows.length === 4,
    line: `the CLI lines list the demo's keys: exit ${cli.status}, ${keyRows.length} of 4 keys listed`,
  });
  return outcomes;
}
