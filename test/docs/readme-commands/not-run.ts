import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** README commands this suite does not run, and why; each must still name a script that exists. */
export const NOT_RUN: [pattern: RegExp, reason: string][] = [
  [/^npm i -g pnpm@\d+$/, 'installs pnpm for the whole machine'],
  [/^pnpm install$/, 'the suite runs in an installed checkout already'],
  [/^pnpm test$/, 'this suite is part of it'],
  [/^pnpm build$/, '`pnpm test` builds every package before this suite runs'],
  [/^KG=\S+$/, "names the folder of the packed tarballs on the reader's machine, for the install line after it"],
  [
    /^npm i (-g )?.*\$KG\/keyguard-/,
    "installs into the reader's own app: test/packaging/published.test.ts installs the tarballs this way into apps outside the workspace, and published-install-lines.test.ts checks each line names every tarball it needs",
  ],
  [
    /pnpm --filter @keyguard\/example-next serve$/,
    'builds the Next app (a minute or more); packages/next/test/example-app.test.ts builds and serves it',
  ],
];

export const notRunReason = (command: string): string | undefined =>
  NOT_RUN.find(([pattern]) => pattern.test(command))?.[1];

function scriptsOf(packageJson: string): Record<string, string> {
  return (JSON.parse(readFileSync(packageJson, 'utf8')) as { scripts?: Record<string, string> }).scripts ?? {};
}

/** Every workspace package's name → its scripts (the root is `.`). */
export function workspaceScripts(root: string): Map<string, Record<string, string>> {
  const scripts = new Map<string, Record<string, string>>([['.', scriptsOf(join(root, 'package.json'))]]);
  for (const folder of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, folder))) {
      const path = join(root, folder, name, 'package.json');
      try {
        const manifest = JSON.parse(readFileSync(path, 'utf8')) as { name: string };
        scripts.set(manifest.name, scriptsOf(path));
      } catch {
        // a folder without a package.json is not a package
      }
    }
  }
  return scripts;
}

const PNPM_BUILTINS = new Set(['install', 'i', 'add', 'exec', 'dlx']);

/** The pnpm script a command runs, when it is missing: `pnpm X` (root) or `pnpm --filter P X`. */
export function missingScript(command: string, scripts: Map<string, Record<string, string>>): string | undefined {
  for (const part of command.split(/&&|;/).map((piece) => piece.trim())) {
    const words = part.split(/\s+/).filter((word) => !/^[A-Z_]+=/.test(word));
    if (words[0] !== 'pnpm') continue;
    let owner = '.';
    let rest = words.slice(1);
    if (rest[0] === '-s' || rest[0] === '--silent') rest = rest.slice(1);
    if (rest[0] === '--filter') {
      owner = rest[1] as string;
      rest = rest.slice(2);
    }
    const script = rest[0];
    if (!script || PNPM_BUILTINS.has(script)) continue;
    if (!scripts.get(owner)?.[script]) return `${owner === '.' ? 'the root package' : owner} has no script "${script}"`;
  }
  return undefined;
}
