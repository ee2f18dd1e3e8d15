import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';
import { describe } from 'vitest';

// Bundles an app for a fetch-only runtime the way its toolchain does (esbuild with that runtime's platform and export
// conditions; a Node built-in fails the build on either platform), with every `@keyguard/*` package resolved by name,
// through its package `exports`, to the built dist: what users install.

/** How a runtime's toolchain bundles: esbuild's platform, export conditions (`import`, `default` implicit), output, constants. */
export interface BundleTarget {
  platform: 'browser' | 'neutral';
  conditions: string[];
  /** An ES module (a Worker's main module) or a script (an edge function evaluated in its context). */
  format: 'esm' | 'iife';
  define?: Record<string, string>;
}

/**
 * Wrangler for Cloudflare Workers: `workerd`, then `worker`, then `browser`, on esbuild's default platform (`browser`:
 * a package's `browser` field counts too, as for OpenTelemetry's SDK); an ES module Worker.
 */
export const WORKERD_TARGET: BundleTarget = {
  platform: 'browser',
  conditions: ['workerd', 'worker', 'browser'],
  format: 'esm',
};
/**
 * Next.js's edge compiler: `edge-light`, then webpack's defaults for a web target, and `__dirname` mocked as webpack
 * does for the edge (Next.js's own `next/server` bundles a compiled module that reads it).
 */
export const NEXT_EDGE_TARGET: BundleTarget = {
  platform: 'neutral',
  conditions: ['edge-light', 'browser', 'module'],
  format: 'iife',
  define: { __dirname: '"/"', __filename: '"/index.js"' },
};

const root = fileURLToPath(new URL('../../../', import.meta.url));
const testDirectory = join(root, 'test');
const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || nodeBuiltins.has(specifier.split('/')[0]!);

/** The packages these bundles load from dist are built. */
export const distBuilt = ['core', 'unkey', 'clerk', 'hono', 'next', 'redis'].every((name) =>
  existsSync(join(root, 'packages', name, 'dist', 'index.js')),
);
/** `describe` for suites on the built packages: `pnpm test` builds first; only a bare `vitest` run without a build skips them (CI never). */
export function describeBuilt(name: string, suite: () => void): void {
  (distBuilt || process.env.CI ? describe : describe.skip)(name, suite);
}

export interface EdgeBundle {
  /** The bundle, one ES module (`esm`) or script (`iife`). */
  code: string;
  /** Every module that went into it, relative to the repository root. */
  inputs: string[];
  /** Node built-ins the bundle's code still imports or requires (none, for a bundle that runs on the runtime). */
  nodeImports: string[];
}

/**
 * `@keyguard/<name>[/<entry>]` resolved from its own package directory (a package may import itself by name), so that
 * esbuild applies the package's `exports` with this build's conditions, also for packages the workspace root does
 * not depend on (clerk, next); their own imports (`@keyguard/core/…`, `hono`, `next/server`) resolve as installed.
 */
const keyguardPackages: Plugin = {
  name: 'keyguard-packages-by-name',
  setup(build) {
    build.onResolve({ filter: /^@keyguard\/[a-z-]+(\/[a-z-]+)?$/ }, async (args) => {
      if (args.pluginData === 'by-name') return undefined;
      const resolveDir = join(root, 'packages', args.path.split('/')[1]!);
      const resolved = await build.resolve(args.path, { resolveDir, kind: args.kind, pluginData: 'by-name' });
      return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path };
    });
  },
};

/**
 * The test helpers an app shares with the Node harnesses (`GUARD_QUERY`, `passed`, `verifierFor`) sit in modules
 * that also hold Node-only helpers (`listen`). Those modules only declare things, so they are marked free of side
 * effects: what the app does not use is dropped, with its Node imports. Those imports are left external for the
 * build; `nodeImports` shows whether any survived into the bundle. A Node built-in imported by a package, on the
 * other hand, fails the build, as it would in the runtime's toolchain.
 */
const testHelpers: Plugin = {
  name: 'test-helpers-side-effect-free',
  setup(build) {
    build.onResolve({ filter: /.*/ }, async (args) => {
      if (!args.importer.startsWith(testDirectory) || args.pluginData === 'test-helper') return undefined;
      if (isBuiltin(args.path)) return { path: args.path, external: true };
      if (!args.path.startsWith('.')) return undefined;
      const resolved = await build.resolve(args.path, {
        resolveDir: args.resolveDir,
        kind: args.kind,
        pluginData: 'test-helper',
      });
      return resolved.errors.length > 0 ? { errors: resolved.errors } : { path: resolved.path, sideEffects: false };
    });
  },
};

/** Bundles `entry` (a TypeScript file, or TypeScript source whose imports resolve from `resolveDir`) as the runtime's toolchain would. */
export async function bundleFor(
  entry: string | { source: string; resolveDir: string },
  { platform, conditions, format, define }: BundleTarget,
): Promise<EdgeBundle> {
  const result = await build({
    ...(typeof entry === 'string'
      ? { entryPoints: [entry] }
      : { stdin: { contents: entry.source, resolveDir: entry.resolveDir, loader: 'ts' as const } }),
    absWorkingDir: root,
    bundle: true,
    write: false,
    metafile: true,
    format,
    platform,
    conditions,
    define,
    // `browser` has its own main fields (browser, module, main); `neutral` has none unless told.
    ...(platform === 'neutral' ? { mainFields: ['module', 'main'] } : {}),
    target: 'es2022',
    logLevel: 'silent',
    plugins: [keyguardPackages, testHelpers],
  });
  const code = result.outputFiles[0]!.text;
  const nodeImports = [...code.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\(\s*)["']([^"']+)["']/g)]
    .map((match) => match[1]!)
    .filter(isBuiltin);
  return { code, inputs: Object.keys(result.metafile.inputs), nodeImports };
}
