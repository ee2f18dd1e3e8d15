import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { canRun, type RuntimeName } from './runtimes.js';
import { runForResult } from './spawn-app.js';

const app = (file: string) => fileURLToPath(new URL(`./apps/${file}`, import.meta.url));

/** The same app on Node and on `runtime`, side by side: what each printed as its result. */
const onNodeAndOn = (runtime: RuntimeName, file: string) =>
  Promise.all([runForResult('node', app(file)), runForResult(runtime, app(file))]);

/** The build of core that `runtime` loads behaves as Node's where it matters, apps aside. */
export function coreRuntimeAsOnNode(runtime: Exclude<RuntimeName, 'node'>, title: string): void {
  (canRun(runtime) ? describe : describe.skip)(title, () => {
    // The retry policy repeats only what cannot have reached the key service.
    it('names a refused, a dropped and a silent key service, and whether the request may have been sent, as on Node', async () => {
      const [onNode, onRuntime] = await onNodeAndOn(runtime, 'transport-errors.ts');
      expect(onNode).toEqual({
        refused: { code: 'TRANSPORT_CONNECTION_FAILED', sent: false },
        dropped: { code: 'TRANSPORT_CONNECTION_RESET', sent: true },
        silent: { code: 'TRANSPORT_TIMEOUT', sent: true },
      });
      expect(onRuntime).toEqual(onNode);
    });

    it('answers a cache hit without a promise and finds OpenTelemetry by itself, as on Node', async () => {
      const [onNode, onRuntime] = await onNodeAndOn(runtime, 'core-features.ts');
      expect(onNode).toEqual({
        valid: true,
        digestIsSynchronous: true,
        cacheHitWithoutPromise: 'cache',
        findsOpenTelemetry: true,
      });
      expect(onRuntime).toEqual(onNode);
    });
  });
}
