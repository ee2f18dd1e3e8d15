import { clerkScenarios } from '../conformance/clerk-scenarios.js';
import { ClerkKeyService } from '../conformance/key-services/clerk.js';
import { loadHarnesses } from '../conformance/load-harnesses.js';
import { runConformanceTable } from '../conformance/run-table.js';
import { describeBuilt } from './support/edge-bundle.js';
import { workerdHono } from './support/workerd-hono-harness.js';

// The conformance table in Clerk mode (core's clerk() provider against the local key service) with @keyguard/hono
// running in workerd, beside every Node harness.
const harnesses = [...(await loadHarnesses()), workerdHono];

describeBuilt('conformance on workerd, Clerk mode', () => {
  runConformanceTable(harnesses, () => ClerkKeyService.start(), clerkScenarios);
});
