import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/edge.ts', 'src/service.ts', 'src/runtime.ts', 'src/runtime-edge.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
});
