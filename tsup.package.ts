import { defineConfig, type Options } from 'tsup';

/**
 * How every package builds: ESM and CommonJS with types and source maps, for Node 20 unless told otherwise.
 *
 * `entry` names each dist file after its subpath: `src/index.ts` is the main entry, the others live in `src/entries/`
 * (`<subpath>.ts`, or `<subpath>.<runtime>.ts` for another runtime's build), so an object maps dist names to them.
 *
 * `splitting` for both formats: code that several entry points use goes into shared chunks, so a package's classes
 * and module state exist once per format. tsup splits only the ESM build by default; a CommonJS build would give each
 * entry point its own copy of, say, `TransportError`, and `instanceof` between them fails (core's `service` and
 * `runtime` subpaths). `treeshake`: tsup then turns the split chunks into CommonJS with Rollup, which keeps classes as
 * written; without it, Sucrase does, and rewrites every class with fields into `(_class = class …)`, so errors are
 * named `_class3` in the CommonJS build only.
 */
export function packageBuild(entry: Options['entry'], overrides: Options = {}) {
  return defineConfig({
    entry,
    format: ['esm', 'cjs'],
    splitting: true,
    treeshake: true,
    dts: true,
    clean: true,
    sourcemap: true,
    target: 'node20',
    ...overrides,
  });
}
