import { existsSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// Proof that the edge entry (what `middleware.ts` imports) reaches no Node built-in: bundle it the way an edge
// runtime does (platform neutral, `edge-light` conditions) and record every built-in any module imports.
// esbuild is tsup's own dependency; it is not a dependency of this package, so it is loaded through tsup.
const require = createRequire(import.meta.url);
const esbuild = createRequire(require.resolve('tsup'))('esbuild') as Esbuild;

// The part of esbuild's API used here (its types are not resolvable from this package).
interface ResolveArgs {
  path: string;
  importer: string;
}
interface Esbuild {
  build(
    options: Record<string, unknown> & {
      plugins: {
        name: string;
        setup(build: {
          onResolve(
            options: { filter: RegExp },
            callback: (args: ResolveArgs) => { path: string; external?: boolean } | undefined,
          ): void;
        }): void;
      }[];
    },
  ): Promise<{ metafile: { inputs: Record<string, unknown> } }>;
}

const path = (relative: string) => fileURLToPath(new URL(relative, import.meta.url));
const NEXT_SRC = path('../src/');
const CORE_SRC = path('../../core/src/');
const nodeBuiltins = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const isBuiltin = (specifier: string) =>
  specifier.startsWith('node:') || nodeBuiltins.has(specifier) || nodeBuiltins.has(specifier.split('/')[0]!);

interface BundleReport {
  builtins: string[];
  inputs: string[];
  externals: string[];
}

async function bundle(
  entry: string,
  options: { coreAlias?: Record<string, string>; resolveDir?: string } = {},
): Promise<BundleReport> {
  const builtins: string[] = [];
  const externals = new Set<string>();
  const result = await esbuild.build({
    ...(entry.startsWith('export')
      ? { stdin: { contents: entry, resolveDir: options.resolveDir ?? NEXT_SRC, loader: 'ts' } }
      : { entryPoints: [entry] }),
    bundle: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'neutral',
    conditions: ['edge-light', 'worker', 'browser'],
    mainFields: ['module', 'main'],
    logLevel: 'silent',
    plugins: [
      {
        name: 'record-imports',
        setup(build) {
          build.onResolve({ filter: /.*/ }, (args) => {
            if (isBuiltin(args.path)) {
              builtins.push(`${args.path} (from ${args.importer})`);
              return { path: args.path, external: true };
            }
            // Next.js itself compiles `next/server` for its edge runtime; it is a peer dependency, not ours.
            if (args.path === 'next' || args.path.startsWith('next/')) {
              externals.add(args.path);
              return { path: args.path, external: true };
            }
            const alias = options.coreAlias?.[args.path];
            return alias ? { path: alias } : undefined;
          });
        },
      },
    ],
  });
  return { builtins, inputs: Object.keys(result.metafile.inputs), externals: [...externals] };
}

describe('the edge entry imports no Node built-ins', () => {
  const toCoreEdgeSource = {
    '@keyguard/core': `${CORE_SRC}entries/index.edge.ts`,
    '@keyguard/core/edge': `${CORE_SRC}entries/index.edge.ts`,
  };

  it("src/entries/index.edge.ts bundled with core's fetch build", async () => {
    const report = await bundle(`${NEXT_SRC}entries/index.edge.ts`, { coreAlias: toCoreEdgeSource });
    expect(report.builtins).toEqual([]);
    expect(report.inputs.some((input) => input.endsWith('core/src/runtime/fetch.ts'))).toBe(true);
    expect(report.inputs.filter((input) => /runtime\/node\.ts|undici/.test(input))).toEqual([]);
    expect(report.externals).toEqual(['next/server.js']);
  });

  it("the detector is not vacuous: the Node entry over core's Node build does import built-ins", async () => {
    const report = await bundle(`${NEXT_SRC}index.ts`, {
      coreAlias: { '@keyguard/core': `${CORE_SRC}index.ts`, '@keyguard/core/edge': `${CORE_SRC}entries/index.edge.ts` },
    });
    expect(report.builtins.some((entry) => entry.startsWith('node:crypto'))).toBe(true);
  });

  const built = existsSync(path('../dist/edge.js')) && existsSync(path('../../core/dist/edge.js'));
  it.skipIf(!built)(
    'the built dist: @keyguard/next/edge and @keyguard/core resolved through package exports',
    async () => {
      const report = await bundle(`export * from '@keyguard/next/edge'; export * from '@keyguard/core';`, {
        resolveDir: path('../../../examples/next'),
      });
      expect(report.builtins).toEqual([]);
      expect(report.inputs.filter((input) => /core\/dist\/index|undici/.test(input))).toEqual([]);
      expect(report.inputs.some((input) => /core\/dist\/edge\.js$/.test(input))).toBe(true);
    },
  );
});
