import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '@keyguard/core';
import type { Logger } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { FakeUnkey } from '../../../test/support/fake-unkey.js';

// An app answering 503 because its key service is down must say so in its own logs: once when the outage starts and
// once when it ends, never once per request, never with a key.
const KEY = 'sk_outage_log_0001';
let fake: FakeUnkey;

beforeAll(async () => {
  fake = await new FakeUnkey().start();
  fake.add(KEY, { keyId: 'key_outage' });
});
afterAll(() => fake.stop());

describe('outage log lines', () => {
  it('logs the start of an outage once and its end once', async () => {
    const lines: string[] = [];
    const logger: Logger = {
      warn: (message) => void lines.push(message),
      error: (message) => void lines.push(message),
    };
    const verifier = createVerifier({
      provider: unkey({ rootKey: fake.rootKey, baseUrl: fake.url, timeoutMs: 15_000 }),
      cache: false,
      logger,
    });
    try {
      fake.fault = { kind: 'status', status: 503 };
      for (let index = 0; index < 5; index++)
        expect(await verifier.verify(KEY)).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/unkey key service cannot be reached \(PROVIDER_SERVER_ERROR\)/);
      fake.fault = { kind: 'none' };
      for (let index = 0; index < 3; index++) expect(await verifier.verify(KEY)).toMatchObject({ valid: true });
      expect(lines).toHaveLength(2);
      expect(lines[1]).toMatch(/unkey key service answers again after \d+ ms/);
      expect(lines.join('\n')).not.toContain(KEY);
    } finally {
      await verifier.close();
    }
  });
});
