import { describe, expect, it } from 'vitest';
import { createVerifier, type Logger } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { closedPort } from '../../../test/support/loopback-server.js';
import { registerSecret } from '../../../test/support/secrets.js';

describe("the outage line names the key service's URL", () => {
  it('says which base URL it tried, without credentials or query', async () => {
    const port = await closedPort();
    const rootKey = 'unkey_root_outage_endpoint_0000';
    registerSecret(rootKey, 'hunter2hunter2');
    const lines: string[] = [];
    const logger: Logger = {
      warn: (message) => void lines.push(message),
      error: (message) => void lines.push(message),
    };
    const verifier = createVerifier({
      provider: unkey({
        rootKey,
        baseUrl: `http://user:hunter2hunter2@127.0.0.1:${port}/?token=abc`,
        timeoutMs: 15_000,
      }),
      cache: false,
      logger,
    });
    try {
      expect(await verifier.verify('sk_outage_endpoint_key')).toMatchObject({ code: 'PROVIDER_UNAVAILABLE' });
      expect(lines[0]).toMatch(
        new RegExp(`cannot be reached \\(PROVIDER_CONNECTION_FAILED\\) at http://127\\.0\\.0\\.1:${port};`),
      );
      expect(lines.join('\n')).not.toMatch(/hunter2|token|sk_outage/);
    } finally {
      await verifier.close();
    }
  });
});
