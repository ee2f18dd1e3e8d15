import { UnkeyKeyService } from '../conformance/key-services/unkey.js';
import { loadHarnesses } from '../conformance/load-harnesses.js';
import { runConformanceTable } from '../conformance/run-table.js';
import { unkeyScenarios } from '../conformance/unkey-scenarios.js';
import { describeBuilt } from './support/edge-bundle.js';
import { edgeNextMiddleware, edgeNextRoute } from './support/edge-next-harnesses.js';

// The conformance table in Unkey mode with @keyguard/next's edge middleware and route handlers running in Vercel's
// Edge runtime (the built packages, bundled for `edge-light`), beside every Node harness.
const harnesses = [...(await loadHarnesses()), edgeNextMiddleware, edgeNextRoute];

describeBuilt('conformance on the Edge runtime, Unkey mode', () => {
  runConformanceTable(harnesses, () => UnkeyKeyService.start(), unkeyScenarios);
});
