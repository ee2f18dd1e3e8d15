import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../../../../test/support/secrets.js';
import { rootKeyWith, startHarness, type Harness } from '../helpers.js';

interface History {
  events: { id: number; time: number; code: string; keyId?: string; apiId?: string; failedCheck?: string }[];
  minutes?: { start: number; counts: Record<string, number> }[];
  lastId: number;
}

describe('the dashboard history over HTTP', () => {
  let harness: Harness;
  let apiA = '';
  let apiB = '';
  let keyA = { key: '', keyId: '' };
  let keyB = { key: '', keyId: '' };
  let scopedToA = '';

  const history = async (query: string, rootKey: string): Promise<{ status: number; text: string }> => {
    const response = await fetch(`${harness.url}/dashboard/history${query}`, {
      headers: { authorization: `Bearer ${rootKey}` },
    });
    return { status: response.status, text: await response.text() };
  };
  const read = async (query: string, rootKey = harness.rootKey): Promise<History> => {
    const answer = await history(query, rootKey);
    expect(answer.status).toBe(200);
    return JSON.parse(answer.text) as History;
  };

  beforeAll(async () => {
    harness = await startHarness();
    apiA = await harness.createApi();
    apiB = await harness.createApi();
    keyA = await harness.createKey(apiA, { permissions: ['documents.read'] });
    keyB = await harness.createKey(apiB);
    scopedToA = rootKeyWith(harness, [`api.${apiA}.read_key`, `api.${apiA}.read_api`]);
    // Verified before anyone opened the dashboard: the history has them all the same.
    await harness.verify({ key: keyA.key });
    await harness.verify({ key: keyA.key, permissions: 'documents.write' });
    await harness.verify({ key: keyB.key });
    await harness.verify({ key: 'sk_never_issued_1234567890' });
  });
  afterAll(() => harness.stop());

  it('answers only a root key in the Authorization header, never echoing what was sent', async () => {
    expect((await fetch(`${harness.url}/dashboard/history`)).status).toBe(401);
    const wrong = await history('', 'not_a_root_key_123');
    expect(wrong.status).toBe(401);
    expect(wrong.text).not.toContain('not_a_root_key_123');
    expect((await history(`?keyId=${keyA.keyId}&apiId=${apiA}`, harness.rootKey)).status).toBe(400);
  });

  it("gives a key's verifications made before the page opened, with the failed check and per-minute counts", async () => {
    const answer = await read(`?keyId=${keyA.keyId}`);
    expect(answer.events.map((event) => event.code)).toEqual(['VALID', 'INSUFFICIENT_PERMISSIONS']);
    expect(answer.events[1]).toMatchObject({ keyId: keyA.keyId, apiId: apiA, failedCheck: 'permissions' });
    const counts = answer.minutes!.reduce<Record<string, number>>((total, minute) => {
      for (const [code, n] of Object.entries(minute.counts)) total[code] = (total[code] ?? 0) + n;
      return total;
    }, {});
    expect(counts).toEqual({ VALID: 1, INSUFFICIENT_PERMISSIONS: 1 });
    expect(answer.lastId).toBeGreaterThanOrEqual(4);
  });

  it("gives an API's verifications and counts; the latest of all to a root key of every API", async () => {
    const api = await read(`?apiId=${apiB}`);
    expect(api.events.map((event) => event.keyId)).toEqual([keyB.keyId]);
    expect(api.minutes!.flatMap((minute) => Object.values(minute.counts))).toEqual([1]);
    const all = await read('');
    expect(all.events.map((event) => event.code)).toEqual(['VALID', 'INSUFFICIENT_PERMISSIONS', 'VALID', 'NOT_FOUND']);
  });

  it("never shows a root key for API A anything of API B's, nor keys of no API", async () => {
    expect((await history(`?apiId=${apiB}`, scopedToA)).status).toBe(403);
    const ofB = await read(`?keyId=${keyB.keyId}`, scopedToA);
    expect(ofB).toMatchObject({ events: [], minutes: [] });
    const all = await read('', scopedToA);
    expect(all.events.map((event) => event.apiId)).toEqual([apiA, apiA]);
    expect((await read(`?keyId=${keyA.keyId}`, scopedToA)).events).toHaveLength(2);
  });

  it('holds no key in any entry', async () => {
    registerSecret('sk_never_issued_1234567890');
    const texts = [await history('', harness.rootKey), await history(`?keyId=${keyA.keyId}`, harness.rootKey)];
    for (const { text } of texts) {
      expect(text).toContain(keyA.keyId);
      for (const secret of [keyA.key, keyB.key, 'sk_never_issued_1234567890', harness.rootKey])
        expect(text).not.toContain(secret);
    }
  });
});
