import { ClerkKeyService } from './key-services/clerk.js';
import { clerkRouteKindRows } from './clerk-route-kind-rows.js';
import { clerkScenarios } from './clerk-scenarios.js';
import { loadHarnesses } from './load-harnesses.js';
import { runConformanceTable } from './run-table.js';

// The table in Clerk mode: every harness verifies with core's clerk() provider against the local key service. The
// per-route kinds rows run here alone: the runtime tables' apps (test/runtimes) serve no /machines or /api-keys.
runConformanceTable(await loadHarnesses(), () => ClerkKeyService.start(), [...clerkScenarios, ...clerkRouteKindRows]);
