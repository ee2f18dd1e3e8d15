import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import type { Fault } from '../../../test/support/faults.js';
import { FakeUnkey } from '../../../test/support/fake-unkey.js';
import { closedPortUrl } from '../../../test/support/loopback-server.js';
import { findLeaks } from '../../../test/support/secrets.js';

const KEY = 'sk_secret_never_shown_42';
const faults: Fault[] = [
  { kind: 'hang' },
  { kind: 'status', status: 400 },
  { kind: 'status', status: 401 },
  { kind: 'status', status: 403 },
  { kind: 'status', status: 429, headers: { 'retry-after': '1' } },
  { kind: 'status', status: 500 },
  { kind: 'reset-mid-body' },
  { kind: 'destroy-before-answer' },
  { kind: 'non-json' },
  { kind: 'oversized', bytes: 2 * 1024 * 1024 },
];

let fake: FakeUnkey;
beforeAll(async () => {
  fake = await new FakeUnkey().start();
  fake.add(KEY, { keyId: 'key_1' });
});
afterAll(() => fake.stop());

describe('errors never carry a key or root key', () => {
  it('holds for every provider failure, deep into causes', async () => {
    const errors: unknown[] = [];
    const texts: string[] = [];
    const logger = {
      warn: (...parts: unknown[]) => texts.push(inspect(parts, { depth: 10 })),
      error: (...parts: unknown[]) => texts.push(inspect(parts, { depth: 10 })),
    };
    for (const fault of faults) {
      fake.fault = fault;
      const verifier = createVerifier({
        provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs: fault.kind === 'hang' ? 200 : 15_000 }),
        logger,
        hooks: { onProviderError: (error) => errors.push(error) },
      });
      const verification = await verifier.verify(KEY);
      texts.push(JSON.stringify(verification));
      await verifier.close();
    }
    const refused = createVerifier({
      provider: unkey({ rootKey: fake.rootKey, baseUrl: await closedPortUrl() }),
      hooks: { onProviderError: (error) => errors.push(error) },
    });
    await refused.verify(KEY);
    await refused.close();

    expect(errors.length).toBe(faults.length + 1);
    for (const error of errors) {
      texts.push(inspect(error, { depth: 10, showHidden: true }), JSON.stringify(error), String(error));
    }
    expect(findLeaks(texts, [KEY, fake.rootKey])).toEqual([]);
  });

  it('the leak finder finds what it should', () => {
    expect(findLeaks(['a sk_live_1 b', 'nothing'], ['sk_live_1', 'sk_live_2'])).toEqual(['sk_live_1']);
  });
});
