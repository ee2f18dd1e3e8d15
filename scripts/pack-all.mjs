#!/usr/bin/env node
// `pnpm pack:all`: every @keyguard package packed into ./dist-tarballs/ as `pnpm publish` would pack it (pnpm turns
// `workspace:^` into the version's range and adds the root LICENSE), for installing keyguard before (or instead of)
// the npm registry. Runs after `pnpm build` (the script does both); the folder is emptied first.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const destination = join(root, 'dist-tarballs');
rmSync(destination, { recursive: true, force: true });
mkdirSync(destination);
execFileSync('pnpm', ['-r', '--filter', './packages/*', 'pack', '--pack-destination', destination], {
  cwd: root,
  stdio: ['ignore', 'ignore', 'inherit'],
});

const tarballs = readdirSync(destination)
  .filter((file) => file.endsWith('.tgz'))
  .sort();
const path = (file) => `./${relative(process.cwd(), join(destination, file))}`;
console.log(`${tarballs.length} tarballs in ${relative(process.cwd(), destination) || '.'}:`);
for (const file of tarballs) console.log(`  ${file}`);
console.log('\nInstall the ones your app uses with those they depend on (core, unkey or clerk) in one command, e.g.:');
const pick = (name) => tarballs.find((file) => file.startsWith(`keyguard-${name}-`));
console.log(`  npm i express ${['core', 'unkey', 'express'].map((name) => path(pick(name))).join(' ')}`);
