import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const packageNames = ['core', 'express', 'fastify', 'hono', 'next', 'koa', 'server', 'cli'];
const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));

// Tests import the packages' TypeScript sources; a separate packaging test loads the built dist files.
export default defineConfig({
  resolve: {
    alias: [
      { find: /^@keyguard\/core\/edge$/, replacement: source('./packages/core/src/edge.ts') },
      { find: /^@keyguard\/next\/edge$/, replacement: source('./packages/next/src/edge.ts') },
      ...packageNames.map((name) => ({
        find: new RegExp(`^@keyguard/${name}$`),
        replacement: source(`./packages/${name}/src/index.ts`),
      })),
    ],
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: './.vitest-results.json' },
    setupFiles: ['./test/support/leak-watch.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Source errors are the typecheck step's job (pnpm typecheck); here only the type tests (*.test-d.ts) count.
    typecheck: { enabled: true, ignoreSourceErrors: true, include: ['packages/*/test/**/*.test-d.ts', 'test/**/*.test-d.ts'] },
  },
});
