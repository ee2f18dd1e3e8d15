import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNAVAILABLE_KEY } from '../support/in-memory-provider.js';
import { GUARD_QUERY, type RunningHarness } from './fixtures.js';
import { loadHarnesses } from './load-harnesses.js';

// The Provider interface is public: a hand-written provider (here an in-memory key store) must work through every
// adapter exactly as Unkey and Clerk do — the same statuses, challenges and problem bodies.
const WRITER = 'sk_custom_writer_0001';
const READER = 'sk_custom_reader_0002';
const KEYS = {
  [WRITER]: { id: 'custom_writer', permissions: [GUARD_QUERY] },
  [READER]: { id: 'custom_reader', permissions: ['docs.read'] },
};

const harnesses = await loadHarnesses();

describe.each(harnesses.map((harness) => [harness.name, harness] as const))(
  'a hand-written provider through %s',
  (_name, harness) => {
    let running: RunningHarness;
    beforeAll(async () => {
      running = await harness.start({ kind: 'custom', keys: KEYS });
    });
    afterAll(() => running.close());

    const get = (route: string, key?: string) =>
      fetch(running.url + route, { headers: key ? { authorization: `Bearer ${key}` } : {} });

    it('lets its valid keys through with their id', async () => {
      const response = await get('/protected', READER);
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({ apiKey: 'custom_reader' });
    });

    it('guards by the permissions it reports', async () => {
      expect((await get('/guarded', WRITER)).status).toBe(200);
      const denied = await get('/guarded', READER);
      expect(denied.status).toBe(403);
      expect(denied.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
    });

    it('turns its unknown keys into 401 invalid_token, and keys without its prefix too, without asking it', async () => {
      for (const key of ['sk_custom_unknown_0003', 'other_prefix_0004']) {
        const response = await get('/protected', key);
        expect(response.status).toBe(401);
        expect(response.headers.get('www-authenticate')).toContain('error="invalid_token"');
        expect(response.headers.get('content-type')).toContain('application/problem+json');
      }
    });

    it("answers 503 with the provider's Retry-After when it throws a ProviderError", async () => {
      const response = await get('/protected', UNAVAILABLE_KEY);
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(6);
      expect(Number(response.headers.get('retry-after'))).toBeLessThanOrEqual(7);
      expect(await response.json()).toMatchObject({ status: 503, code: 'PROVIDER_UNAVAILABLE' });
    });
  },
);
