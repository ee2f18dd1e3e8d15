import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const packageNames = readdirSync(source('./packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

// Tests import the packages' TypeScript sources; a separate packaging test loads the built dist files.
// `@keyguard/<name>` is `packages/<name>/src/index.ts`, a subpath `@keyguard/<name>/<entry>` is `src/<entry>.ts`.
export default defineConfig({
  resolve: {
    alias: packageNames.flatMap((name) => [
      { find: new RegExp(`^@keyguard/${name}/([a-z-]+)$`), replacement: source(`./packages/${name}/src/$1.ts`) },
      { find: new RegExp(`^@keyguard/${name}$`), replacement: source(`./packages/${name}/src/index.ts`) },
    ]),
  },
  test: {
    include: ['packages/*/test/**/*.test.ts', 'test/**/*.test.ts'],
    reporters: ['default', 'json'],
    outputFile: { json: './.vitest-results.json' },
    setupFiles: ['./test/support/leak-watch.ts'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // Source errors are the typecheck step's job (pnpm typecheck); here only the type tests (*.test-d.ts) count.
    typecheck: {
      enabled: true,
      ignoreSourceErrors: true,
      include: ['packages/*/test/**/*.test-d.ts', 'test/**/*.test-d.ts'],
    },
  },
});
