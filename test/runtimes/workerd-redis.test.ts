import { afterAll, beforeAll, expect, it } from 'vitest';
import { httpGet } from '../support/http-get.js';
import { expectedFleetFailures } from './support/edge-redis-expected.js';
import { bundleFor, describeBuilt, WORKERD_TARGET, type EdgeBundle } from './support/edge-bundle.js';
import { startWorkerd, type RunningWorkerd } from './support/workerd.js';

// @keyguard/redis in a Cloudflare Worker: under the workerd conditions the package resolves to an entry without
// ioredis, so the Worker builds, and each of its ways in fails at once with FLEET_RUNTIME_UNSUPPORTED (without it the
// build fails inside ioredis, or a shimmed one connects once and then verifies without Redis, warning of an outage).

describeBuilt('@keyguard/redis on workerd', () => {
  let bundle: EdgeBundle;
  let worker: RunningWorkerd;

  beforeAll(async () => {
    bundle = await bundleFor(new URL('./support/workerd-redis-worker.ts', import.meta.url).pathname, WORKERD_TARGET);
    worker = await startWorkerd({ mainModule: bundle.code });
  });
  afterAll(() => worker?.close());

  it('resolves to the entry without ioredis and without a Node built-in', () => {
    expect(bundle.inputs).toContain('packages/redis/dist/unsupported-runtime.js');
    expect(bundle.inputs.filter((input) => /ioredis|redis\/dist\/index|core\/dist\/index/.test(input))).toEqual([]);
    expect(bundle.nodeImports).toEqual([]);
  });

  it('fails with FLEET_RUNTIME_UNSUPPORTED from redisFleet, new RedisFleet and invalidateFleet', async () => {
    const answer = await httpGet(`${worker.url}/`);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.text)).toEqual(expectedFleetFailures());
  });
});
