import { defineConfig } from 'tsup';

export default defineConfig({
  // `unsupported-runtime`: what the package resolves to on Workers and Vercel Edge (package.json `exports`).
  entry: ['src/index.ts', 'src/unsupported-runtime.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
