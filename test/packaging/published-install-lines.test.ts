import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageNames, workspaceRoot } from './published/pack.js';

// The install lines of the READMEs stay true: the tarball line (before the packages are on the registry) names every
// @keyguard package the shown ones depend on — npm would otherwise look those up on the registry, and fail — and the
// registry line names no other package. published.test.ts runs such installs for real.

type Manifest = { dependencies?: Record<string, string> };
const manifestOf = (name: string) =>
  JSON.parse(readFileSync(join(workspaceRoot, 'packages', name, 'package.json'), 'utf8')) as Manifest;
const keyguardDependencies = (name: string) =>
  Object.keys(manifestOf(name).dependencies ?? {})
    .filter((dependency) => dependency.startsWith('@keyguard/'))
    .map((dependency) => dependency.slice('@keyguard/'.length));

/** The npm commands of a README: `npm i …` lines with their continuations joined. */
function npmCommands(readme: string): string[] {
  return readme
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim().replace(/^`|`\.?$/g, ''))
    .flatMap((line) => [...line.matchAll(/`?(npm i [^`]+)`?/g)].map((match) => match[1]!.trim()));
}

function installLines(readmePath: string) {
  const commands = npmCommands(readFileSync(readmePath, 'utf8'));
  const tarballCommand = commands.find((command) => command.includes('$KG/keyguard-'));
  // The last registry command: the one saying what to run once the packages are published.
  const registryCommand = commands
    .filter((command) => !command.includes('$KG') && command.includes('@keyguard/'))
    .at(-1);
  const words = (command: string | undefined) => (command ?? '').split(/\s+/).slice(2);
  return {
    tarballs: words(tarballCommand)
      .filter((word) => word.startsWith('$KG/'))
      .map((word) => /^\$KG\/keyguard-([a-z-]+)-\*\.tgz$/.exec(word)?.[1] ?? word),
    tarballOthers: words(tarballCommand).filter((word) => !word.startsWith('$KG/')),
    registry: words(registryCommand)
      .filter((word) => word.startsWith('@keyguard/'))
      .map((word) => word.slice('@keyguard/'.length)),
    registryOthers: words(registryCommand).filter((word) => !word.startsWith('@keyguard/')),
  };
}

describe('install lines of the READMEs', () => {
  const readmes = [
    { readme: join(workspaceRoot, 'README.md'), own: undefined },
    ...packageNames.map((name) => ({ readme: join(workspaceRoot, 'packages', name, 'README.md'), own: name })),
  ];
  for (const { readme, own } of readmes) {
    it(`${readme.slice(workspaceRoot.length + 1)}: the tarballs named are all it needs, and the registry line names the same`, () => {
      const lines = installLines(readme);
      expect(lines.tarballs.length, 'an `npm i … $KG/keyguard-<name>-*.tgz` line').toBeGreaterThan(0);
      for (const name of lines.tarballs) expect(packageNames, `$KG/keyguard-${name}-*.tgz`).toContain(name);
      if (own) expect(lines.tarballs).toContain(own);
      const missing = lines.tarballs
        .flatMap((name) => (packageNames.includes(name) ? keyguardDependencies(name) : []))
        .filter((name) => !lines.tarballs.includes(name));
      expect(missing, 'dependencies not among the tarballs').toEqual([]);
      // From the registry, npm finds the dependencies itself: the line may name fewer packages, never others.
      expect(lines.registry.length, 'an `npm i … @keyguard/<name>` line for once they are published').toBeGreaterThan(
        0,
      );
      for (const name of lines.registry) expect(lines.tarballs, `@keyguard/${name}`).toContain(name);
      if (own) expect(lines.registry).toContain(own);
      expect(lines.registryOthers).toEqual(lines.tarballOthers);
    });
  }
});
