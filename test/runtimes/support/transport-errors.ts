import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canRun, type RuntimeName } from './runtimes.js';
import { runForResult } from './spawn-app.js';

const APP = fileURLToPath(new URL('./apps/transport-errors.ts', import.meta.url));

/**
 * Core's transport on `runtime` names a refused, a dropped and a silent key service as Node's does, and says as it
 * does whether the request may have reached the service: the retry policy repeats only what cannot have been sent.
 */
export function transportErrorsAsOnNode(runtime: Exclude<RuntimeName, 'node'>, title: string): void {
  (canRun(runtime) ? describe : describe.skip)(title, () => {
    it('names each failure, and whether the request may have been sent, as on Node', async () => {
      const [onNode, onRuntime] = await Promise.all([runForResult('node', APP), runForResult(runtime, APP)]);
      expect(onNode).toEqual({
        refused: { code: 'TRANSPORT_CONNECTION_FAILED', sent: false },
        dropped: { code: 'TRANSPORT_CONNECTION_RESET', sent: true },
        silent: { code: 'TRANSPORT_TIMEOUT', sent: true },
      });
      expect(onRuntime).toEqual(onNode);
    });
  });
}
