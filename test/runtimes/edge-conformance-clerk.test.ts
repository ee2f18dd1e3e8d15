import { clerkScenarios } from '../conformance/clerk-scenarios.js';
import { ClerkKeyService } from '../conformance/key-services/clerk.js';
import { loadHarnesses } from '../conformance/load-harnesses.js';
import { runConformanceTable } from '../conformance/run-table.js';
import { describeBuilt } from './support/edge-bundle.js';
import { edgeNextMiddleware, edgeNextRoute } from './support/edge-next-harnesses.js';

// The conformance table in Clerk mode (core's clerk() provider against the local key service) with @keyguard/next's
// edge middleware and route handlers running in Vercel's Edge runtime, beside every Node harness.
const harnesses = [...(await loadHarnesses()), edgeNextMiddleware, edgeNextRoute];

describeBuilt('conformance on the Edge runtime, Clerk mode', () => {
  runConformanceTable(harnesses, () => ClerkKeyService.start(), clerkScenarios);
});
