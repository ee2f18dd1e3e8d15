import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { maskSecrets, registerSecret } from '../support/secrets.js';
import { commandsOf, type ReadmeCommand } from './readme-commands/extract.js';
import { missingScript, notRunReason, workspaceScripts } from './readme-commands/not-run.js';
import { ReadmeSession, type Outcome } from './readme-commands/session.js';

// Every shell command in the READMEs (root, packages/*, examples/*) runs here as written — the reader's first
// hour — except the few in not-run.ts, which must still name scripts that exist. See session.ts for what is
// adjusted (placeholders, free ports in place of 8787 and 3000, scratch databases).
const root = fileURLToPath(new URL('../..', import.meta.url));

const readmes = [
  'README.md',
  ...['packages', 'examples'].flatMap((folder) =>
    readdirSync(join(root, folder)).map((name) => join(folder, name, 'README.md')),
  ),
].filter((path) => existsSync(join(root, path)));
const commandsByReadme = new Map(
  readmes.map((path) => [path, commandsOf(readFileSync(join(root, path), 'utf8'), path)] as const),
);
const scripts = workspaceScripts(root);
/** How the CLI README says to run `keyguard` in a clone: `pnpm -s keyguard` in "… `pnpm -s keyguard …` from its root". */
const inRepository = /`(pnpm (?:[-\w]+ )*keyguard) …`/.exec(
  readFileSync(join(root, 'packages/cli/README.md'), 'utf8'),
)?.[1];
const scratchFolders: string[] = [];
afterAll(() => {
  for (const folder of scratchFolders) rmSync(folder, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** How a README command went wrong, or undefined when it did what it promises. */
function problemWith(outcome: Outcome): string | undefined {
  if (outcome.code !== 0) return `exit ${outcome.code}`;
  if (/ELIFECYCLE/.test(outcome.output)) return 'pnpm reported the script as failed';
  if (/^curl -i /.test(outcome.command) && !/^HTTP\/[\d.]+ 2\d\d/m.test(outcome.output))
    return 'curl got no 2xx answer';
  return undefined;
}

describe('README shell commands', () => {
  it('finds the commands of the root, CLI and example READMEs', () => {
    for (const path of [
      'README.md',
      'packages/cli/README.md',
      'examples/express/README.md',
      'examples/next/README.md',
    ]) {
      expect(commandsByReadme.get(path)?.length, path).toBeGreaterThan(0);
    }
  });

  it('leaves out only commands listed in not-run.ts, and those name scripts that exist', () => {
    const notRun = [...commandsByReadme.values()].flat().filter((command) => notRunReason(command.text));
    expect(notRun.length).toBeGreaterThan(0);
    expect(notRun.map((command) => missingScript(command.text, scripts)).filter(Boolean)).toEqual([]);
  });

  it('the Next example listens on 127.0.0.1 only, as its README says', () => {
    const next = scripts.get('@keyguard/example-next') ?? {};
    for (const name of ['dev', 'start', 'serve']) expect(next[name], name).toMatch(/--hostname 127\.0\.0\.1/);
    expect(readFileSync(join(root, 'examples/next/README.md'), 'utf8')).toContain('http://127.0.0.1:3000');
  });

  it('the CLI README says how to run it in a clone of this repository', () => {
    expect(inRepository).toMatch(/^pnpm /);
  });

  // The CLI README's commands twice: with `keyguard` installed (the built bin), and as a reader in a clone runs them
  // (the README's `pnpm … keyguard`, whose own output lands on the same stdout as the JSON being piped).
  const runs = [...commandsByReadme].flatMap(([path, commands]) => [
    { path, commands, keyguard: undefined },
    ...(path === 'packages/cli/README.md' && inRepository ? [{ path, commands, keyguard: { inRepository } }] : []),
  ]);
  for (const { path, commands, keyguard } of runs) {
    const runnable = commands.filter((command: ReadmeCommand) => !notRunReason(command.text));
    if (runnable.length === 0) continue;
    const how = keyguard ? ` (keyguard as \`${keyguard.inRepository}\` from the repository root)` : '';
    it(`${path}${how}: every command works as written, and Ctrl+C ends what keeps running with exit 0`, async () => {
      const scratch = mkdtempSync(join(tmpdir(), 'keyguard-readme-'));
      scratchFolders.push(scratch);
      const session = new ReadmeSession({
        root,
        scratch,
        keyServicePort: await freePort(),
        apiPort: await freePort(),
        keyguard,
      });
      const problems: string[] = [];
      try {
        for (const command of runnable) {
          const missing = missingScript(command.text, scripts);
          if (missing) {
            problems.push(`${command.where}: ${missing}`);
            break;
          }
          const outcome = await session.run(command);
          registerSecret(...session.placeholders.learnFrom(outcome.output));
          const problem = problemWith(outcome);
          if (problem) {
            problems.push(maskSecrets(`${outcome.where}: ${problem}: ${command.text}\n${outcome.output}`));
            break;
          }
        }
      } finally {
        for (const outcome of await session.stop()) {
          const problem = problemWith(outcome);
          if (problem) problems.push(maskSecrets(`${outcome.where}: ${problem}\n${outcome.output}`));
        }
      }
      expect(problems).toEqual([]);
    }, 300_000);
  }
});
