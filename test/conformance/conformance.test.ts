import { afterAll } from 'vitest';
import { UnkeyKeyService } from './key-services/unkey.js';
import { loadHarnesses } from './load-harnesses.js';
import { stopLocalUnkey } from './rate-limit-routes.js';
import { runConformanceTable } from './run-table.js';
import { unkeyScenarios } from './unkey-scenarios.js';

// The table in Unkey mode: every harness verifies against the fake Unkey service.
runConformanceTable(await loadHarnesses(), () => UnkeyKeyService.start(), unkeyScenarios);
// The rate-limit override row counts in the local key service (Unkey's ratelimit.limit), started on its first use.
afterAll(stopLocalUnkey);
