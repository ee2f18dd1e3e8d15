import { ClerkKeyService } from './key-services/clerk.js';
import { clerkScenarios } from './clerk-scenarios.js';
import { loadHarnesses } from './load-harnesses.js';
import { runConformanceTable } from './run-table.js';

// The table in Clerk mode: every harness verifies with core's clerk() provider against the local key service.
runConformanceTable(await loadHarnesses(), () => ClerkKeyService.start(), clerkScenarios);
