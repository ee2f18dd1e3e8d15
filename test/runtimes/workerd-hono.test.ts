import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeUnkey } from '../support/fake-unkey.js';
import { httpGet } from '../support/http-get.js';
import { describeBuilt } from './support/edge-bundle.js';
import { honoWorkerBundle, startHonoWorker } from './support/workerd-hono-harness.js';
import type { RunningWorkerd } from './support/workerd.js';

// @keyguard/hono as a Cloudflare Worker: bundled from the built packages the way wrangler bundles (workerd
// conditions, neutral platform: a Node built-in fails the build) and run in workerd itself, against the fake Unkey
// on loopback. The conformance table runs against the same Worker in workerd-conformance*.test.ts.

describeBuilt('@keyguard/hono on workerd', () => {
  let fake: FakeUnkey;
  let worker: RunningWorkerd;

  beforeAll(async () => {
    fake = await new FakeUnkey().start();
    worker = await startHonoWorker({ kind: 'unkey', baseUrl: fake.url, rootKey: fake.rootKey, timeoutMs: 15_000 });
  });
  afterAll(async () => {
    await worker?.close();
    await fake?.stop();
  });

  it("bundles with core's fetch build and without a single Node built-in", async () => {
    const { inputs, nodeImports } = await honoWorkerBundle();
    expect(inputs).toEqual(
      expect.arrayContaining([
        'packages/hono/dist/index.js',
        'packages/core/dist/edge.js',
        'packages/core/dist/runtime-edge.js',
        'packages/unkey/dist/index.js',
      ]),
    );
    expect(inputs.filter((input) => /core\/dist\/(index|runtime)\.js$|undici/.test(input))).toEqual([]);
    expect(nodeImports).toEqual([]);
  });

  it('answers a second request for the same key from its cache: the key service is asked once', async () => {
    fake.add('sk_workerd_cache_reader_1', { keyId: 'key_workerd_cache', permissions: ['docs.read'] });
    const headers = { authorization: 'Bearer sk_workerd_cache_reader_1' };
    const first = await httpGet(`${worker.url}/protected`, headers);
    const second = await httpGet(`${worker.url}/protected`, headers);
    expect([first.status, JSON.parse(first.text)]).toEqual([200, { apiKey: 'key_workerd_cache' }]);
    expect([second.status, JSON.parse(second.text)]).toEqual([200, { apiKey: 'key_workerd_cache' }]);
    expect(fake.callsFor('sk_workerd_cache_reader_1')).toBe(1);
  });

  it('coalesces concurrent requests for a new key into one verification, across requests of the isolate', async () => {
    fake.add('sk_workerd_coalesced_reader_1', { keyId: 'key_workerd_coalesced', permissions: ['docs.read'] });
    fake.fault = { kind: 'delay', ms: 50 };
    try {
      const answers = await Promise.all(
        Array.from({ length: 8 }, () =>
          httpGet(`${worker.url}/protected`, { 'x-api-key': 'sk_workerd_coalesced_reader_1' }),
        ),
      );
      expect(answers.map((answer) => [answer.status, JSON.parse(answer.text)])).toEqual(
        Array.from({ length: 8 }, () => [200, { apiKey: 'key_workerd_coalesced' }]),
      );
    } finally {
      fake.fault = { kind: 'none' };
    }
    expect(fake.callsFor('sk_workerd_coalesced_reader_1')).toBe(1);
    // workerd warns when a promise crosses from one request's context to another's: nothing of the kind here.
    expect(worker.output()).toBe('');
  });
});
