import { defineConfig } from 'tsup';

export default defineConfig({
  // `unsupported-runtime`: what the package resolves to on Workers and Vercel Edge (package.json `exports`); the keys
  // are the dist file names, the sources follow the workspace's rule (CONTRIBUTING.md, "Where files go").
  entry: { index: 'src/index.ts', 'unsupported-runtime': 'src/entries/index.edge.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
