import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'node20',
  // Nest and its peers stay the application's own: one copy of Nest's metadata and DI container.
  external: [/^@nestjs\//, 'reflect-metadata', 'rxjs'],
});
