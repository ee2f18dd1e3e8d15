import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The repository's root: apps run from here, so that `@keyguard/*` resolves through its node_modules. */
export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/**
 * The tsconfig every runtime applies to the apps: no `paths` (so `@keyguard/*` is the built packages, picked by the
 * runtime's own export conditions, not the workspace's TypeScript sources) and Nest's legacy decorators.
 */
const APP_TSCONFIG = fileURLToPath(new URL('./app-tsconfig.json', import.meta.url));

export type RuntimeName = 'bun' | 'deno' | 'node';

export interface RuntimeCommand {
  command: string;
  args: string[];
  env: Record<string, string>;
}

/**
 * How each runtime starts a TypeScript app file: the binaries of the workspace's `bun` and `deno` devDependencies
 * themselves, not their node_modules/.bin shims, which run them as child processes (a shell for Bun, Node for Deno)
 * that a kill would leave running; tsx on Node.
 */
export function commandFor(runtime: RuntimeName, app: string): RuntimeCommand {
  switch (runtime) {
    case 'bun':
      return {
        command: `${ROOT}node_modules/bun/bin/bun.exe`,
        args: [`--tsconfig-override=${APP_TSCONFIG}`, app],
        env: {},
      };
    case 'deno':
      // node_modules as pnpm laid it out (`manual`: Deno installs nothing itself); -A for the network, env and files.
      return {
        command: `${ROOT}node_modules/deno/deno`,
        args: ['run', '-A', '--node-modules-dir=manual', app],
        env: {},
      };
    case 'node':
      return { command: process.execPath, args: ['--import', 'tsx', app], env: { TSX_TSCONFIG_PATH: APP_TSCONFIG } };
  }
}

/** The packages the apps import, built: these suites run what users install, like test/packaging. */
const BUILT = [
  'core/dist/bun.js',
  'core/dist/index.js',
  'unkey/dist/index.js',
  'clerk/dist/index.js',
  'hono/dist/index.js',
  'express/dist/index.js',
  'fastify/dist/index.js',
  'koa/dist/index.js',
  'nestjs/dist/index.js',
  'redis/dist/index.js',
];

/**
 * Whether a suite on `runtime` can run here: the packages are built and the runtime is installed. `pnpm test` builds
 * first and CI installs both runtimes, so only a bare `vitest` run without a build may skip (CI never does).
 */
export function canRun(runtime: RuntimeName): boolean {
  if (process.env.CI) return true;
  const installed = runtime === 'node' || existsSync(commandFor(runtime, '').command);
  return installed && BUILT.every((file) => existsSync(`${ROOT}packages/${file}`));
}
