import { describe, expect, it } from 'vitest';
import { createVerifier } from '@keyguard/core';
import type { Provider, ProviderAnswer } from '@keyguard/core';
import { registerSecret } from '../../../test/support/secrets.js';

// The local pre-checks decide without a call: a value that is not a string, or a key longer than the provider takes,
// is answered INVALID_KEY_FORMAT and costs nothing upstream; a key of exactly the longest length is asked about.
const INVALID_FORMAT = { valid: false, code: 'INVALID_KEY_FORMAT', source: 'local' };

/** A key store with no prefix that knows no key, counting the keys it is asked about. */
function countingProvider(maxKeyLength?: number): Provider & { asked: string[] } {
  const asked: string[] = [];
  return {
    name: 'counting',
    ...(maxKeyLength === undefined ? {} : { maxKeyLength }),
    asked,
    verify: async (key): Promise<ProviderAnswer> => {
      asked.push(key);
      return { valid: false, code: 'NOT_FOUND', metered: false };
    },
  };
}

describe('the local pre-checks', () => {
  it.each([
    ['a number', 42],
    ['undefined', undefined],
    ['null', null],
    ['an object', { key: 'sk_abc' }],
  ])('refuse %s passed as a key by untyped code, without a call', async (_label, value) => {
    const provider = countingProvider();
    const verifier = createVerifier({ provider, telemetry: false });
    const key = value as unknown as string;
    expect(verifier.verifyCached(key)).toEqual(INVALID_FORMAT);
    expect(await verifier.verify(key)).toEqual(INVALID_FORMAT);
    expect(provider.asked).toEqual([]);
    await verifier.close();
  });

  it.each([
    ['the default length, 512', undefined, 512],
    ['a provider’s maxKeyLength', 24, 24],
  ])('ask about a key of exactly %s characters, and refuse one longer', async (_label, maxKeyLength, longest) => {
    const provider = countingProvider(maxKeyLength);
    const verifier = createVerifier({ provider, telemetry: false });
    const [atLimit, over] = ['a'.repeat(longest), 'b'.repeat(longest + 1)];
    registerSecret(atLimit, over);
    expect(await verifier.verify(atLimit)).toMatchObject({ valid: false, code: 'NOT_FOUND', source: 'upstream' });
    expect(await verifier.verify(over)).toEqual(INVALID_FORMAT);
    expect(verifier.verifyCached(over)).toEqual(INVALID_FORMAT);
    expect(provider.asked).toEqual([atLimit]);
    await verifier.close();
  });
});
