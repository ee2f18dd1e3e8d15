import { describe, expect, it } from 'vitest';
import { ConfigurationError, createKeyguard, createVerifier } from '@keyguard/core';
import type { Provider, ProviderAnswer } from '@keyguard/core';

/** A provider verifying one API key and one M2M token, counting its calls. */
function kindsProvider(): Provider & { calls: number } {
  const kinds: Record<string, string> = { tok_api: 'api_key', tok_m2m: 'm2m_token' };
  const provider = {
    name: 'kinds',
    calls: 0,
    async verify(key: string): Promise<ProviderAnswer> {
      provider.calls += 1;
      const kind = kinds[key];
      if (!kind) return { valid: false, code: 'NOT_FOUND', metered: false };
      const base = { id: `id_${key}`, provider: 'kinds', permissions: [], roles: [], meta: {}, enabled: true };
      return { valid: true, code: 'VALID', metered: false, key: { ...base, kind } };
    },
  };
  return provider;
}

const bearer = (key: string) => ({ headers: { authorization: `Bearer ${key}` } });

// One guard serving several routes (Fastify's plugin, Nest's ApiKeyGuard) hands each route's accepts per request.
describe("a route's accepts given to authenticate", () => {
  it("replaces the guard's accepts for that route only, from memory too", async () => {
    const provider = kindsProvider();
    const guard = createKeyguard({ verifier: createVerifier({ provider }), accepts: ['api_key'] });
    const machines = { accepts: ['m2m_token'] } as const;
    expect(await guard.authenticate(bearer('tok_m2m'), machines)).toMatchObject({
      allowed: true,
      apiKey: { kind: 'm2m_token' },
    });
    for (let round = 0; round < 2; round++) {
      expect(await guard.authenticate(bearer('tok_api'), machines)).toMatchObject({
        allowed: false,
        denial: {
          status: 401,
          body: { detail: 'This route accepts m2m_token credentials; this one is api_key.', accepts: ['m2m_token'] },
        },
      });
    }
    expect(await guard.authenticate(bearer('tok_api'))).toMatchObject({ allowed: true });
    expect(await guard.authenticate(bearer('tok_m2m'))).toMatchObject({ allowed: false });
    expect(await guard.authenticate(bearer('tok_m2m'), { optional: true })).toMatchObject({ allowed: false });
    expect(provider.calls).toBe(2);
    await guard.verifier.close();
  });

  it('refuses an empty route accepts with a ConfigurationError', () => {
    const guard = createKeyguard({ verifier: createVerifier({ provider: kindsProvider() }) });
    expect(() => guard.authenticate(bearer('tok_api'), { accepts: [] })).toThrow(ConfigurationError);
  });
});
