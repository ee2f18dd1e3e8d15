import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Harness, RunningHarness } from '../conformance/fixtures.js';
import { FakeUnkey } from '../support/fake-unkey.js';
import { httpGet } from '../support/http-get.js';
import { describeBuilt } from './support/edge-bundle.js';
import { edgeBundle, edgeNextMiddleware, edgeNextRoute } from './support/edge-next-harnesses.js';

// @keyguard/next's edge middleware and route handlers as edge functions: bundled from the built packages the way
// Next.js compiles edge code (`edge-light`, neutral platform: a Node built-in fails the build) and evaluated in Vercel's
// Edge runtime, against the fake Unkey on loopback. The conformance table runs against them in edge-conformance*.test.ts.

const NODE_BUILD = /core\/dist\/(index|runtime)\.js$|undici/;

describeBuilt('@keyguard/next on the Edge runtime', () => {
  it.each([
    ['edge-next-middleware-app', 'packages/next/dist/edge.js'],
    ['edge-next-route-app', 'packages/next/dist/index.js'],
  ] as const)("%s bundles with core's fetch build (%s) and without a single Node built-in", async (app, entry) => {
    const { inputs, nodeImports } = await edgeBundle(app);
    expect(inputs).toEqual(
      expect.arrayContaining([
        entry,
        'packages/core/dist/edge.js',
        'packages/core/dist/runtime-edge.js',
        'packages/unkey/dist/index.js',
      ]),
    );
    expect(inputs.filter((input) => NODE_BUILD.test(input))).toEqual([]);
    expect(nodeImports).toEqual([]);
  });

  describe.each([edgeNextMiddleware, edgeNextRoute].map((harness) => [harness.name, harness] as [string, Harness]))(
    '%s',
    (name, harness) => {
      let fake: FakeUnkey;
      let edge: RunningHarness;

      beforeAll(async () => {
        fake = await new FakeUnkey().start();
        edge = await harness.start({ kind: 'unkey', baseUrl: fake.url, rootKey: fake.rootKey, timeoutMs: 15_000 });
      });
      afterAll(async () => {
        await edge?.close();
        await fake?.stop();
      });

      it('answers a second request for the same key from its cache: the key service is asked once', async () => {
        const key = `sk_${name.replaceAll('-', '_')}_cache_reader_1`;
        fake.add(key, { keyId: 'key_edge_cache', permissions: ['docs.read'] });
        const first = await httpGet(`${edge.url}/protected`, { authorization: `Bearer ${key}` });
        const second = await httpGet(`${edge.url}/protected`, { authorization: `Bearer ${key}` });
        expect([first.status, JSON.parse(first.text)]).toEqual([200, { apiKey: 'key_edge_cache' }]);
        expect([second.status, JSON.parse(second.text)]).toEqual([200, { apiKey: 'key_edge_cache' }]);
        expect(fake.callsFor(key)).toBe(1);
      });

      it('coalesces concurrent requests for a new key into one verification', async () => {
        const key = `sk_${name.replaceAll('-', '_')}_coalesced_reader_1`;
        fake.add(key, { keyId: 'key_edge_coalesced', permissions: ['docs.read'] });
        fake.fault = { kind: 'delay', ms: 50 };
        try {
          const answers = await Promise.all(
            Array.from({ length: 8 }, () => httpGet(`${edge.url}/protected`, { 'x-api-key': key })),
          );
          expect(answers.map((answer) => [answer.status, JSON.parse(answer.text)])).toEqual(
            Array.from({ length: 8 }, () => [200, { apiKey: 'key_edge_coalesced' }]),
          );
        } finally {
          fake.fault = { kind: 'none' };
        }
        expect(fake.callsFor(key)).toBe(1);
      });
    },
  );
});
