import { afterEach, describe, expect, it } from 'vitest';
import { createVerifier } from '@keyguard/core';
import type { Provider, ProviderAnswer, Verifier, VerifiedKey } from '@keyguard/core';

// What callers see of a provider's answer: `valid` and `key` go together (the `Verification` type promises it), and
// the optional fields appear only when the provider gave them, so a verification spread into a response or a log
// carries no empty fields. A custom provider is any object with `verify`: it may hand back answers that break the
// `ProviderAnswer` contract, and the verifier must not turn those into a pass.
const KEY = 'sk_answers_0001';

const verifiedKey: VerifiedKey = {
  id: 'key_answers',
  provider: 'answers',
  permissions: [],
  roles: [],
  meta: {},
  enabled: true,
};

const verifiers: Verifier[] = [];
afterEach(async () => {
  await Promise.all(verifiers.splice(0).map((verifier) => verifier.close()));
});

/** A verifier over a provider that gives `answer` for every key; `cache: false` sends every request to it. */
function answering(answer: ProviderAnswer): Verifier {
  const provider: Provider = { name: 'answers', verify: async () => answer };
  const verifier = createVerifier({ provider, cache: false, logger: { warn: () => {}, error: () => {} } });
  verifiers.push(verifier);
  return verifier;
}

describe('a provider answer as a verification', () => {
  it('keeps an answer that says invalid invalid, even when it carries a key', async () => {
    const verification = await answering({ valid: false, code: 'DISABLED', key: verifiedKey, metered: false }).verify(
      KEY,
    );
    expect(verification).toStrictEqual({ valid: false, code: 'DISABLED', source: 'upstream' });
  });

  it('answers a "valid" answer without a key as an unknown code, never as a pass', async () => {
    const verification = await answering({ valid: true, code: 'VALID', metered: false }).verify(KEY);
    expect(verification).toStrictEqual({ valid: false, code: 'UNKNOWN_CODE', source: 'upstream' });
  });

  it('gives a valid key with no optional field the provider left out, and no keyId beside key.id', async () => {
    const verification = await answering({
      valid: true,
      code: 'VALID',
      key: verifiedKey,
      keyId: verifiedKey.id,
      metered: false,
    }).verify(KEY);
    expect(verification).toStrictEqual({ valid: true, code: 'VALID', source: 'upstream', key: verifiedKey });
  });

  it('gives an invalid answer with nothing more than its code when the provider said nothing more', async () => {
    const verification = await answering({ valid: false, code: 'NOT_FOUND', metered: false }).verify(KEY);
    expect(verification).toStrictEqual({ valid: false, code: 'NOT_FOUND', source: 'upstream' });
  });

  it("carries an invalid answer's key id, request id and rate limits", async () => {
    const ratelimits = [{ name: 'requests', limit: 10, remaining: 0, reset: Date.now() + 60_000, exceeded: true }];
    const verification = await answering({
      valid: false,
      code: 'RATE_LIMITED',
      keyId: 'key_limited',
      requestId: 'req_limited',
      ratelimits,
      metered: false,
    }).verify(KEY);
    expect(verification).toStrictEqual({
      valid: false,
      code: 'RATE_LIMITED',
      source: 'upstream',
      keyId: 'key_limited',
      requestId: 'req_limited',
      ratelimits,
    });
  });

  it("carries a valid answer's request id and rate limits next to its key", async () => {
    const ratelimits = [{ name: 'requests', limit: 10, remaining: 9, reset: Date.now() + 60_000, exceeded: false }];
    const verification = await answering({
      valid: true,
      code: 'VALID',
      key: verifiedKey,
      requestId: 'req_valid',
      ratelimits,
      metered: false,
    }).verify(KEY);
    expect(verification).toStrictEqual({
      valid: true,
      code: 'VALID',
      source: 'upstream',
      key: verifiedKey,
      requestId: 'req_valid',
      ratelimits,
    });
  });
});
