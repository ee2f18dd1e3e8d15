import { describe, expect, it } from 'vitest';
import { createKeyguard, createVerifier } from '@keyguard/core';
import type { Provider, ProviderAnswer } from '@keyguard/core';

/** A provider that knows one long token, as Clerk's M2M JWTs are long (about 800 characters). */
function longTokenProvider(token: string, maxKeyLength: number | undefined): Provider & { calls: number } {
  const provider = {
    name: 'long-tokens',
    maxKeyLength,
    calls: 0,
    async verify(key: string): Promise<ProviderAnswer> {
      provider.calls += 1;
      if (key !== token) return { valid: false, code: 'NOT_FOUND', metered: false };
      return {
        valid: true,
        code: 'VALID',
        metered: false,
        key: { id: 'tok_1', provider: 'long-tokens', permissions: [], roles: [], meta: {}, enabled: true },
      };
    },
  };
  return provider;
}

const LONG = `${'a'.repeat(400)}.${'b'.repeat(399)}`;

describe('a provider with a maxKeyLength', () => {
  it('has its longer tokens read and verified, through the verifier and a guard', async () => {
    const provider = longTokenProvider(LONG, 1_024);
    const verifier = createVerifier({ provider });
    expect(verifier.maxKeyLength).toBe(1_024);
    expect((await verifier.verify(LONG)).valid).toBe(true);
    const guard = createKeyguard({ verifier });
    const outcome = await guard.authenticate({ headers: { authorization: `Bearer ${LONG}` } });
    expect(outcome).toMatchObject({ allowed: true, apiKey: { id: 'tok_1' } });
    const tooLong = await guard.authenticate({ headers: { authorization: `Bearer ${'c'.repeat(1_025)}` } });
    expect(tooLong).toMatchObject({ allowed: false, denial: { status: 400, body: { code: 'KEY_TOO_LONG' } } });
    await verifier.close();
  });

  it('keeps 512 without one: a longer token is refused before any call', async () => {
    const provider = longTokenProvider(LONG, undefined);
    const verifier = createVerifier({ provider });
    expect(verifier.maxKeyLength).toBe(512);
    expect(await verifier.verify(LONG)).toMatchObject({ valid: false, code: 'INVALID_KEY_FORMAT', source: 'local' });
    const guard = createKeyguard({ verifier });
    const outcome = await guard.authenticate({ headers: { authorization: `Bearer ${LONG}` } });
    expect(outcome).toMatchObject({ allowed: false, denial: { status: 400, body: { code: 'KEY_TOO_LONG' } } });
    expect(provider.calls).toBe(0);
    await verifier.close();
  });
});
