import { describe, expect, it } from 'vitest';
import { ConfigurationError, createKeyguard, createVerifier } from '@keyguard/core';
import type { Provider, ProviderAnswer, Verifier } from '@keyguard/core';

/** A provider verifying three tokens, each of another kind, and one of no kind (a provider that names none). */
function kindsProvider(): Provider & { calls: number } {
  const kinds: Record<string, string | undefined> = {
    tok_api: 'api_key',
    tok_m2m: 'm2m_token',
    tok_oauth: 'oauth_token',
    tok_plain: undefined,
  };
  const provider = {
    name: 'kinds',
    calls: 0,
    async verify(key: string): Promise<ProviderAnswer> {
      provider.calls += 1;
      if (!Object.hasOwn(kinds, key)) return { valid: false, code: 'NOT_FOUND', metered: false };
      const kind = kinds[key];
      const base = { id: `id_${key}`, provider: 'kinds', permissions: [], roles: [], meta: {}, enabled: true };
      return { valid: true, code: 'VALID', metered: false, key: kind ? { ...base, kind } : base };
    },
  };
  return provider;
}

const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

async function answer(verifier: Verifier, accepts: readonly string[] | undefined, key: string) {
  return createKeyguard({ verifier, ...(accepts ? { accepts } : {}) }).authenticate(bearer(key));
}

describe("a route's accepts", () => {
  it('lets every kind through without accepts, and each route its own kinds with them', async () => {
    const verifier = createVerifier({ provider: kindsProvider() });
    for (const key of ['tok_api', 'tok_m2m', 'tok_oauth', 'tok_plain'])
      expect(await answer(verifier, undefined, key)).toMatchObject({ allowed: true });
    expect(await answer(verifier, ['m2m_token'], 'tok_m2m')).toMatchObject({
      allowed: true,
      apiKey: { kind: 'm2m_token' },
    });
    expect(await answer(verifier, ['api_key', 'm2m_token'], 'tok_api')).toMatchObject({
      allowed: true,
      apiKey: { kind: 'api_key' },
    });
    await verifier.close();
  });

  it('answers 401 invalid_token naming what the route accepts for another kind, from memory too', async () => {
    const provider = kindsProvider();
    const verifier = createVerifier({ provider });
    for (let round = 0; round < 2; round++) {
      const outcome = await answer(verifier, ['m2m_token'], 'tok_api');
      expect(outcome).toMatchObject({
        allowed: false,
        denial: {
          status: 401,
          headers: { 'WWW-Authenticate': expect.stringContaining('error="invalid_token"') as string },
          body: {
            code: 'INVALID_KEY_FORMAT',
            detail: 'This route accepts m2m_token credentials; this one is api_key.',
            accepts: ['m2m_token'],
          },
        },
      });
    }
    // The second answer came from memory: the kind check does not bypass the cache.
    expect(provider.calls).toBe(1);
    const plain = await answer(verifier, ['api_key', 'oauth_token'], 'tok_plain');
    expect(plain).toMatchObject({
      allowed: false,
      denial: {
        status: 401,
        body: { detail: 'This route accepts api_key or oauth_token credentials; this one is of no named kind.' },
      },
    });
    await verifier.close();
  });

  it('refuses an empty or malformed accepts when the guard is made', () => {
    const verifier = createVerifier({ provider: kindsProvider() });
    expect(() => createKeyguard({ verifier, accepts: [] })).toThrow(ConfigurationError);
    expect(() => createKeyguard({ verifier, accepts: [''] })).toThrow(ConfigurationError);
    expect(() => createKeyguard({ verifier, accepts: 'm2m_token' as never })).toThrow(ConfigurationError);
  });
});
