import { afterAll, beforeAll, expect, it } from 'vitest';
import type { RunningHarness } from '../conformance/fixtures.js';
import { httpGet } from '../support/http-get.js';
import { bundleFor, describeBuilt, NEXT_EDGE_TARGET, type EdgeBundle } from './support/edge-bundle.js';
import { expectedFleetFailures } from './support/edge-redis-expected.js';
import { serveEdgeFunction } from './support/edge-runtime.js';

// @keyguard/redis in an edge function on Vercel's Edge runtime: under `edge-light` the package resolves to its entry
// without ioredis, so the function builds, and each of its ways in fails at once with FLEET_RUNTIME_UNSUPPORTED.

describeBuilt('@keyguard/redis on the Edge runtime', () => {
  let bundle: EdgeBundle;
  let edge: RunningHarness;

  beforeAll(async () => {
    bundle = await bundleFor(new URL('./support/edge-redis-app.ts', import.meta.url).pathname, NEXT_EDGE_TARGET);
    edge = await serveEdgeFunction(bundle.code, {});
  });
  afterAll(() => edge?.close());

  it('resolves to the entry without ioredis and without a Node built-in', () => {
    expect(bundle.inputs).toContain('packages/redis/dist/unsupported-runtime.js');
    expect(bundle.inputs.filter((input) => /ioredis|redis\/dist\/index|core\/dist\/index/.test(input))).toEqual([]);
    expect(bundle.nodeImports).toEqual([]);
  });

  it('fails with FLEET_RUNTIME_UNSUPPORTED from redisFleet, new RedisFleet and invalidateFleet', async () => {
    const answer = await httpGet(`${edge.url}/`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual(expectedFleetFailures());
  });
});
