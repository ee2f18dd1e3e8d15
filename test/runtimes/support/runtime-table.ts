import { describe } from 'vitest';
import { clerkScenarios } from '../../conformance/clerk-scenarios.js';
import { ClerkKeyService } from '../../conformance/key-services/clerk.js';
import { UnkeyKeyService } from '../../conformance/key-services/unkey.js';
import { loadHarnesses } from '../../conformance/load-harnesses.js';
import { runConformanceTable } from '../../conformance/run-table.js';
import { unkeyScenarios } from '../../conformance/unkey-scenarios.js';
import { runtimeHarnesses } from './runtime-harnesses.js';
import { canRun } from './runtimes.js';

const TITLES = { bun: 'on Bun', deno: 'on Deno' } as const;

/**
 * The conformance table of one provider mode on `runtime`, the adapters built as users install them, next to the
 * Node harnesses of test/conformance: every answer is checked against the table, and against what every adapter
 * answers on Node. Skipped only outside CI without a build or the runtime (see canRun).
 */
export async function runTableOn(runtime: keyof typeof TITLES, mode: 'unkey' | 'clerk'): Promise<void> {
  const harnesses = [...(await loadHarnesses()), ...runtimeHarnesses(runtime)];
  (canRun(runtime) ? describe : describe.skip)(TITLES[runtime], () => {
    if (mode === 'unkey') runConformanceTable(harnesses, () => UnkeyKeyService.start(), unkeyScenarios);
    else runConformanceTable(harnesses, () => ClerkKeyService.start(), clerkScenarios);
  });
}
