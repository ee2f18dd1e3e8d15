import { execFile } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The workspace root (this file is test/packaging/published/pack.ts). */
export const workspaceRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Every publishable package: the folders of packages/ (none of them is private). */
export const packageNames = readdirSync(join(workspaceRoot, 'packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(workspaceRoot, 'packages', entry.name, 'package.json')))
  .map((entry) => entry.name)
  .sort();

/** True once `pnpm build` has run (the packaging tests load dist files, as users do). */
export const built = packageNames.every((name) => existsSync(join(workspaceRoot, 'packages', name, 'dist')));

/**
 * `pnpm pack` of every package into `destination`, as `pnpm publish` would pack them (pnpm rewrites `workspace:^`
 * to the version's range and adds the workspace's LICENSE); answers package name → tarball path.
 */
export async function packAll(destination: string): Promise<Map<string, string>> {
  await run('pnpm', ['-r', '--filter', './packages/*', 'pack', '--pack-destination', destination], {
    cwd: workspaceRoot,
    timeout: 120_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  const tarballs = new Map<string, string>();
  for (const file of readdirSync(destination)) {
    const match = /^keyguard-([a-z-]+)-\d+\.\d+\.\d+(?:-[\w.]+)?\.tgz$/.exec(file);
    if (match) tarballs.set(`@keyguard/${match[1]}`, join(destination, file));
  }
  const missing = packageNames.filter((name) => !tarballs.has(`@keyguard/${name}`));
  if (missing.length > 0) throw new Error(`pnpm pack made no tarball for ${missing.join(', ')}`);
  return tarballs;
}
