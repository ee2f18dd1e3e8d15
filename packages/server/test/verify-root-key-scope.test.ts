import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../../../test/support/secrets.js';
import { startHarness, type Harness } from './helpers.js';

// keys.verifyKey asks for `api.*.verify_key` or `api.<apiId>.verify_key` (Unkey's root-key permissions): a root key
// that may only read APIs is refused outright, and one scoped to API A learns nothing about a key of API B — the
// answer is NOT_FOUND, as for a key that does not exist.
let h: Harness;
let apiA: string;
let apiB: string;
let keyOfA: string;
let keyOfB: string;

beforeAll(async () => {
  h = await startHarness();
  apiA = await h.createApi('scope-a');
  apiB = await h.createApi('scope-b');
  keyOfA = (await h.createKey(apiA)).key;
  keyOfB = (await h.createKey(apiB)).key;
});
afterAll(() => h.stop());

function rootKeyWith(permissions: string[]): string {
  const rootKey = h.server.createRootKey(permissions);
  registerSecret(rootKey);
  return rootKey;
}

describe('keys.verifyKey and the root key’s permissions', () => {
  it('a root key with only read_api is refused with 403, for a key of any API, naming the permission it lacks', async () => {
    const reader = rootKeyWith([`api.${apiA}.read_api`, 'api.*.read_api']);
    for (const key of [keyOfA, keyOfB]) {
      const answer = await h.call('keys.verifyKey', { key }, reader);
      expect(answer.status).toBe(403);
      expect(answer.body.error.detail).toContain('verify_key');
      expect(answer.body.data).toBeUndefined();
      expect(JSON.stringify(answer.body)).not.toContain(key);
    }
  });

  it('a root key for API A verifies keys of A, and answers NOT_FOUND for a key of API B', async () => {
    const verifierOfA = rootKeyWith([`api.${apiA}.verify_key`]);
    const own = await h.call('keys.verifyKey', { key: keyOfA }, verifierOfA);
    expect(own.status).toBe(200);
    expect(own.body.data).toMatchObject({ valid: true, code: 'VALID' });
    const other = await h.call('keys.verifyKey', { key: keyOfB }, verifierOfA);
    expect(other.status).toBe(200);
    expect(other.body.data).toEqual({ valid: false, code: 'NOT_FOUND' });
  });

  it('a root key for every API (api.*.verify_key) verifies keys of both', async () => {
    const verifierOfAll = rootKeyWith(['api.*.verify_key']);
    for (const key of [keyOfA, keyOfB])
      expect((await h.call('keys.verifyKey', { key }, verifierOfAll)).body.data).toMatchObject({ valid: true });
  });
});
