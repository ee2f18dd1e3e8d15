import { UnkeyKeyService } from '../conformance/key-services/unkey.js';
import { loadHarnesses } from '../conformance/load-harnesses.js';
import { runConformanceTable } from '../conformance/run-table.js';
import { unkeyScenarios } from '../conformance/unkey-scenarios.js';
import { describeBuilt } from './support/edge-bundle.js';
import { workerdHono } from './support/workerd-hono-harness.js';

// The conformance table in Unkey mode with @keyguard/hono running in workerd (the built packages, bundled for it),
// beside every Node harness: each row must get the table's answer from workerd too, and the same answer as on Node.
const harnesses = [...(await loadHarnesses()), workerdHono];

describeBuilt('conformance on workerd, Unkey mode', () => {
  runConformanceTable(harnesses, () => UnkeyKeyService.start(), unkeyScenarios);
});
