import { UnkeyKeyService } from './key-services/unkey.js';
import { loadHarnesses } from './load-harnesses.js';
import { runConformanceTable } from './run-table.js';
import { unkeyScenarios } from './unkey-scenarios.js';

// The table in Unkey mode: every harness verifies against the fake Unkey service.
runConformanceTable(await loadHarnesses(), () => UnkeyKeyService.start(), unkeyScenarios);
