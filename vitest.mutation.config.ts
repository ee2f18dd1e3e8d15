import { defineConfig, mergeConfig } from 'vitest/config';
import base from './vitest.config.js';

// The suites Stryker runs against each mutant (see docs/mutation-testing.md): each package's own tests. The
// repository-wide suites (conformance, metering, e2e, runtimes, packaging, docs, structure) start servers for every
// adapter, build, pack or start other runtimes: run per mutant they made one folder's run take hours on two cores.
// Type tests are off: a mutant never changes a type.
const merged = mergeConfig(
  base,
  defineConfig({
    test: {
      exclude: [
        '**/node_modules/**',
        '**/dist/**',
        'test/runtimes/**',
        'test/packaging/**',
        'test/e2e/**',
        'examples/**',
      ],
      reporters: ['default'],
      outputFile: {},
      typecheck: { enabled: false },
    },
  }),
);

// Set after merging: mergeConfig concatenates arrays, so an `include` given to it would be added to the base's
// (which takes every test of the repository) instead of replacing it.
// MUTATION_TESTS (comma-separated globs) narrows them further, e.g. to one package's tests for a quick run.
merged.test!.include = process.env.MUTATION_TESTS?.split(',') ?? ['packages/*/test/**/*.test.ts'];

export default merged;
