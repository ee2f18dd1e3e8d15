import { afterAll, beforeAll } from 'vitest';
import { UnkeyKeyService } from './key-services/unkey.js';
import { loadHarnesses } from './load-harnesses.js';
import { startLocalUnkey, stopLocalUnkey } from './rate-limit-routes.js';
import { rateLimitRows } from './rate-limit-scenarios.js';
import { runConformanceTable } from './run-table.js';

// Rate limits no key carries, on every harness (the /limited routes), with keys from the fake Unkey service. A table
// of its own: the runtime tables of test/runtimes run unkeyScenarios against apps that serve only the keyed routes.
runConformanceTable(await loadHarnesses(), () => UnkeyKeyService.start(), rateLimitRows);
// The override rows count in the local key service (Unkey's ratelimit.limit), started before any row runs.
beforeAll(async () => {
  await startLocalUnkey();
});
afterAll(stopLocalUnkey);
