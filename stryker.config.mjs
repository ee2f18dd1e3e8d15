// Mutation testing (StrykerJS): how to run it, its minutes and scores are in docs/mutation-testing.md.
const reportFolder = process.env.STRYKER_RUN ? `reports/mutation-${process.env.STRYKER_RUN}` : 'reports/mutation';

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: {
    configFile: 'vitest.mutation.config.ts',
    // Only the test files that import a mutated file (vitest related), not the whole suite.
    related: true,
  },
  plugins: ['@stryker-mutator/vitest-runner'],
  mutate: [
    // core: key reading, permission queries, the verifier with its cache policy, memory and metering
    'packages/core/src/reading/**/*.ts',
    'packages/core/src/permissions/**/*.ts',
    'packages/core/src/verifier/**/*.ts',
    // redis: the fleet package
    'packages/redis/src/**/*.ts',
    // server: key verification (keys.verifyKey) and root-key authentication
    'packages/server/src/domain/keys/**/*.ts',
    'packages/server/src/unkey/operations/keys/verify-key.ts',
    'packages/server/src/unkey/authenticate.ts',
    'packages/server/src/http/bearer.ts',
    'packages/server/src/domain/permissions/root-key-permissions.ts',
    // type-only modules have nothing to mutate
    '!**/types.ts',
  ],
  coverageAnalysis: 'perTest',
  // Two cores, shared with other work: one test runner at a time keeps the machine usable.
  concurrency: 1,
  ignoreStatic: true,
  incremental: true,
  incrementalFile: 'reports/stryker-incremental.json',
  tempDirName: '.stryker-tmp',
  // Runs narrowed with --tempDirName .stryker-tmp/<name> would otherwise copy each other's sandboxes.
  ignorePatterns: ['/.stryker-tmp', '/reports', '/bench/.out', '/.data'],
  timeoutMS: 10_000,
  timeoutFactor: 2,
  thresholds: { high: 90, low: 80, break: 80 },
  reporters: ['clear-text', 'progress', 'html', 'json'],
  // STRYKER_RUN names a run's report folder, so runs side by side keep their own reports (Stryker's CLI has no
  // option for the reporters' file names).
  htmlReporter: { fileName: `${reportFolder}/mutation.html` },
  jsonReporter: { fileName: `${reportFolder}/mutation.json` },
  cleanTempDir: 'always',
};
