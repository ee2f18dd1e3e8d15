import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

const source = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const packageNames = readdirSync(source('./packages'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name);

/**
 * The subpath a file of `src/entries/` is built as, as tsup's entry objects name it: `<subpath>.ts` is `<subpath>`,
 * another runtime's build `<subpath>.<runtime>.ts` is `<subpath>-<runtime>`, or `<runtime>` for the root's.
 */
function subpathOf(file: string): string {
  const [subpath = '', runtime] = file.replace(/\.ts$/, '').split('.');
  if (runtime === undefined) return subpath;
  return subpath === 'index' ? runtime : `${subpath}-${runtime}`;
}

function entryFiles(name: string): string[] {
  const entries = source(`./packages/${name}/src/entries`);
  return existsSync(entries) ? readdirSync(entries).filter((file) => file.endsWith('.ts')) : [];
}

// Tests import the packages' TypeScript sources; a separate packaging test loads the built dist files.
// `@keyguard/<name>` is `packages/<name>/src/index.ts`, a subpath `@keyguard/<name>/<subpath>` is a file of
// `src/entries/` (see subpathOf).
export default defineConfig({
  resolve: {
    alias: packageNames.flatMap((name) => [
      ...entryFiles(name).map((file) => ({
        find: new RegExp(`^@keyguard/${name}/${subpathOf(file)}$`),
        replacement: source(`./packages/${name}/src/entries/${file}`),
      })),
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
