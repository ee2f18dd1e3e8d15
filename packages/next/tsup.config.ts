import { defineConfig } from 'tsup';

// Two entries: `index` (route handlers, Pages API routes; core resolved by conditions) and `edge` (middleware;
// imports `@keyguard/core/edge`, so it never reaches core's Node build). `next` and core stay external.
export default defineConfig({
  entry: ['src/index.ts', 'src/edge.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
  external: ['next', /^next\//, /^@keyguard\/core/],
});
