import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeUnkey } from '../support/fake-unkey.js';
import { httpGet } from '../support/http-get.js';
import { bundleFor, describeBuilt, WORKERD_TARGET, type EdgeBundle } from './support/edge-bundle.js';
import { startWorkerd, type RunningWorkerd } from './support/workerd.js';

// core's OpenTelemetry entry in a Cloudflare Worker: it bundles for workerd without a Node built-in, and a
// verification there is traced through the app's own OpenTelemetry SDK.

describeBuilt("@keyguard/core's OpenTelemetry entry on workerd", () => {
  let fake: FakeUnkey;
  let bundle: EdgeBundle;
  let worker: RunningWorkerd;

  beforeAll(async () => {
    fake = await new FakeUnkey().start();
    bundle = await bundleFor(
      new URL('./support/workerd-telemetry-worker.ts', import.meta.url).pathname,
      WORKERD_TARGET,
    );
    worker = await startWorkerd({
      mainModule: bundle.code,
      bindings: { UNKEY: { baseUrl: fake.url, rootKey: fake.rootKey } },
    });
  });
  afterAll(async () => {
    await worker?.close();
    await fake?.stop();
  });

  it('bundles without a Node built-in', () => {
    expect(bundle.inputs).toEqual(
      expect.arrayContaining(['packages/core/dist/opentelemetry.js', 'packages/core/dist/edge.js']),
    );
    expect(bundle.nodeImports).toEqual([]);
  });

  it('traces a verification with the key id and never the key', async () => {
    fake.add('sk_workerd_traced_reader_1', { keyId: 'key_workerd_traced', permissions: ['docs.read'] });
    const answer = JSON.parse(
      (await httpGet(`${worker.url}/`, { 'x-api-key': 'sk_workerd_traced_reader_1' })).text,
    ) as { valid: boolean; spans: { name: string; attributes: Record<string, unknown> }[] };
    expect(answer.valid).toBe(true);
    expect(answer.spans).toEqual([
      {
        name: 'keyguard.verify',
        attributes: expect.objectContaining({
          'keyguard.provider.name': 'unkey',
          'keyguard.verification.code': 'VALID',
          'keyguard.key.id': 'key_workerd_traced',
        }),
      },
    ]);
    expect(JSON.stringify(answer.spans)).not.toContain('sk_workerd_traced_reader_1');
  });
});
