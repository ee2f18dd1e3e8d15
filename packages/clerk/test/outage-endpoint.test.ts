import { describe, expect, it } from 'vitest';
import { createVerifier, type Logger } from '@keyguard/core';
import { clerk } from '@keyguard/clerk';
import { closedPort } from '../../../test/support/loopback-server.js';
import { registerSecret } from '../../../test/support/secrets.js';

describe("the outage line names the key service's URL", () => {
  it('says which base URL it tried, without credentials, query or fragment', async () => {
    const port = await closedPort();
    const secretKey = 'sk_test_clerk_outage_endpoint_0000';
    registerSecret(secretKey, 'hunter2hunter2');
    const lines: string[] = [];
    const logger: Logger = {
      warn: (message) => void lines.push(message),
      error: (message) => void lines.push(message),
    };
    const verifier = createVerifier({
      provider: clerk({
        secretKey,
        baseUrl: `http://user:hunter2hunter2@127.0.0.1:${port}/v1?token=abc#frag`,
        timeoutMs: 15_000,
      }),
      cache: false,
      logger,
    });
    try {
      expect(await verifier.verify('ak_outage_endpoint_key')).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
      expect(lines[0]).toMatch(
        new RegExp(`cannot be reached \\(PROVIDER_CONNECTION_FAILED\\) at http://127\\.0\\.0\\.1:${port}/v1;`),
      );
      expect(lines.join('\n')).not.toMatch(/hunter2|token|frag|ak_outage/);
    } finally {
      await verifier.close();
    }
  });

  it("is Clerk's Backend API when no baseUrl is given", () => {
    expect(clerk({ secretKey: 'sk_test_clerk_outage_endpoint_0000' }).endpoint).toBe('https://api.clerk.com/v1');
  });
});
