#!/usr/bin/env node
// `pnpm -s keyguard …` in a clone of this repository (the root package.json's `keyguard` script). The built CLI
// starts in about 0.4 s, the sources through tsx in about 2 s; so run the build when it is current and the sources
// otherwise, so that an edit is never run stale and no build is ever required.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const packages = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
// The workspace packages the CLI loads, each with the dist file its build writes last-or-together.
const BUILT = [
  ['cli', 'dist/bin.js'],
  ['core', 'dist/index.js'],
  ['unkey', 'dist/index.js'],
  ['clerk', 'dist/index.js'],
  ['redis', 'dist/index.js'],
  ['server', 'dist/index.js'],
];

/** The newest modification time (ms) of the files under `path`. */
function newest(path) {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let latest = 0;
  for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)));
  return latest;
}

/** Whether every package's build is newer than its sources and build settings. */
function buildIsCurrent() {
  return BUILT.every(([name, output]) => {
    const root = join(packages, name);
    const built = join(root, output);
    if (!existsSync(built)) return false;
    const sources = ['src', 'package.json', 'tsup.config.ts'].map((part) => join(root, part)).filter(existsSync);
    return Math.max(...sources.map(newest)) <= statSync(built).mtimeMs;
  });
}

// Without -s, pnpm prints its own lines (`> keyguard@… keyguard …`) on stdout first; a pipe reading JSON then fails
// on them, so say why where it happens.
if (
  process.env.npm_lifecycle_event === 'keyguard' &&
  process.env.npm_config_reporter !== 'silent' &&
  process.argv.includes('--json') &&
  !process.stdout.isTTY
)
  process.stderr.write('keyguard: pnpm printed its own lines before this JSON; `pnpm -s keyguard …` leaves them out\n');

if (buildIsCurrent()) {
  await import(pathToFileURL(join(packages, 'cli', 'dist', 'bin.js')).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(pathToFileURL(join(packages, 'cli', 'src', 'entries', 'bin.ts')).href);
}
