import type { Harness, ProviderConfig } from '../../conformance/fixtures.js';
import { bundleFor, WORKERD_TARGET, type EdgeBundle } from './edge-bundle.js';
import { startWorkerd, type RunningWorkerd } from './workerd.js';

/** The Worker of workerd-hono-worker.ts bundled for workerd from the built packages, once per test file. */
let bundle: Promise<EdgeBundle> | undefined;
export function honoWorkerBundle(): Promise<EdgeBundle> {
  bundle ??= bundleFor(new URL('./workerd-hono-worker.ts', import.meta.url).pathname, WORKERD_TARGET);
  return bundle;
}

/** workerd serving that Worker, the provider config as a JSON binding. */
export async function startHonoWorker(config: ProviderConfig): Promise<RunningWorkerd> {
  return startWorkerd({ mainModule: (await honoWorkerBundle()).code, bindings: { PROVIDER_CONFIG: config } });
}

/** The conformance harness of @keyguard/hono running in workerd. */
export const workerdHono: Harness = {
  name: 'workerd-hono',
  async start(config) {
    const worker = await startHonoWorker(config);
    return { url: worker.url, close: () => worker.close() };
  },
};
