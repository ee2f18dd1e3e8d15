import { defineConfig, type Options } from 'tsup';

/** How every package builds: ESM and CommonJS with types and source maps, for Node 20 unless told otherwise. */
export function packageBuild(entry: string[], overrides: Options = {}) {
  return defineConfig({ entry, format: ['esm', 'cjs'], dts: true, clean: true, sourcemap: true, target: 'node20', ...overrides });
}
