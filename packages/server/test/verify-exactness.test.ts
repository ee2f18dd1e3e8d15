import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './helpers.js';

// Verifications spend credits and rate-limit tokens in memory and write them back a moment later
// (store/write-behind.ts): the answers must stay exact under concurrency, every other reader must see the spent
// amounts at once, and stop() must write them all.
const folder = mkdtempSync(join(tmpdir(), 'keyguard-exactness-'));
const database = join(folder, 'keys.sqlite');
const rootKey = `root_${Date.now()}_exactness_test_key`;
let h: Harness;
let apiId: string;
beforeAll(async () => {
  h = await startHarness({ database, rootKey });
  apiId = await h.createApi('exactness');
});
afterAll(async () => {
  await h.stop();
  rmSync(folder, { recursive: true, force: true });
});

const codes = (answers: { code: string }[]) =>
  answers.reduce<Record<string, number>>((count, { code }) => ({ ...count, [code]: (count[code] ?? 0) + 1 }), {});

async function storedCredits(keyId: string): Promise<number> {
  const answer = await h.call('keys.getKey', { keyId });
  expect(answer.status).toBe(200);
  return answer.body.data.credits.remaining;
}

describe('credits C and a rate limit L under 300 concurrent verifications', () => {
  it.each([
    { credits: 37, limit: 25 },
    { credits: 20, limit: 30 },
  ])('C = $credits, L = $limit: exactly min(C, L) pass and the stored credits match', async ({ credits, limit }) => {
    const { key, keyId } = await h.createKey(apiId, {
      credits: { remaining: credits },
      ratelimits: [{ name: 'requests', limit, duration: 600_000, autoApply: true }],
    });
    const answers = await Promise.all(Array.from({ length: 300 }, () => h.verify({ key })));
    const valid = Math.min(credits, limit);
    const expected: Record<string, number> = { VALID: valid, RATE_LIMITED: 300 - limit };
    if (credits < limit) expected.USAGE_EXCEEDED = limit - credits;
    expect(codes(answers)).toEqual(expected);
    // Read through another operation at once: what is held back is written before any other statement runs.
    expect(await storedCredits(keyId)).toBe(credits - valid);
    const last = await h.verify({ key });
    expect(last.ratelimits).toMatchObject([{ name: 'requests', limit, remaining: 0, exceeded: true }]);
  });
});

describe('what verifications spent survives stop() and a restart on the same file', () => {
  it('credits, the rate-limit window and lastUsedAt', async () => {
    const { key, keyId } = await h.createKey(apiId, {
      credits: { remaining: 10 },
      ratelimits: [{ name: 'burst', limit: 3, duration: 600_000, autoApply: true }],
    });
    for (let index = 0; index < 2; index++) expect((await h.verify({ key })).code).toBe('VALID');
    const firstUse = (await h.call('keys.getKey', { keyId })).body.data.lastUsedAt as number;
    expect(firstUse).toBeGreaterThan(0);
    // The third spend is held back when stop() begins: no statement ran after it, and it is well within 100 ms.
    expect((await h.verify({ key })).code).toBe('VALID');
    await h.stop();
    h = await startHarness({ database, rootKey });
    expect(await storedCredits(keyId)).toBe(7);
    expect((await h.call('keys.getKey', { keyId })).body.data.lastUsedAt).toBeGreaterThanOrEqual(firstUse);
    const limited = await h.verify({ key });
    expect(limited).toMatchObject({ code: 'RATE_LIMITED', credits: 7 });
  });
});
