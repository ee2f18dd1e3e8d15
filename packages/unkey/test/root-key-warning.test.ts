import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { unkey } from '@keyguard/unkey';
import { registerSecret } from '../../../test/support/secrets.js';

// Against keyguard's local key service the provider can ask what its root key may do, and says once when that is
// more than verifying. Real server, real HTTP; the logger records what would be printed.
let server: KeyServer;
let url: string;
let key: string;
let apiId: string;

beforeAll(async () => {
  server = createKeyServer();
  const rootKey = server.bootstrap().rootKey as string;
  registerSecret(rootKey);
  ({ url } = await server.start());
  const post = async (operation: string, body: object) =>
    (
      await fetch(`${url}/v2/${operation}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${rootKey}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      })
    ).json() as Promise<{ data: Record<string, string> }>;
  apiId = (await post('apis.createApi', { name: 'root-key-warning' })).data.apiId as string;
  key = (await post('keys.createKey', { apiId })).data.key as string;
  registerSecret(key);
});
afterAll(() => server.stop());

function recordingLogger() {
  const warnings: { message: string; details?: Record<string, unknown> }[] = [];
  return {
    warnings,
    logger: {
      warn: (message: string, details?: Record<string, unknown>) => warnings.push({ message, details }),
      error: () => {},
    },
  };
}

/** Lets the provider's background question finish: a few verifications later it has surely answered. */
async function settle(): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt++) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe('unkey(): a root key that can do more than verify', () => {
  it('warns once, naming permissions and the fix, never the root key or the key', async () => {
    const broad = server.createRootKey(['api.*.verify_key', 'api.*.delete_api', 'api.*.create_key']);
    registerSecret(broad);
    const { warnings, logger } = recordingLogger();
    const provider = unkey({ rootKey: broad, baseUrl: url, logger });
    for (let i = 0; i < 3; i++) expect((await provider.verify(key)).valid).toBe(true);
    await settle();
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(
      /root key can do more than verify keys \(api\.\*\.create_key, api\.\*\.delete_api\)/,
    );
    expect(warnings[0]?.message).toContain('keyguard root-keys create --permission api.<apiId>.verify_key');
    expect(JSON.stringify(warnings)).not.toContain(broad);
    expect(JSON.stringify(warnings)).not.toContain(key);
    await provider.close?.();
  });

  it('is silent for a verify-only root key, and when told not to ask', async () => {
    const narrow = server.createRootKey([`api.${apiId}.verify_key`]);
    const broad = server.createRootKey(['api.*.verify_key', 'api.*.delete_api']);
    registerSecret(narrow, broad);
    for (const options of [
      { rootKey: narrow, baseUrl: url },
      { rootKey: broad, baseUrl: url, checkRootKey: false },
    ]) {
      const { warnings, logger } = recordingLogger();
      const provider = unkey({ ...options, logger });
      expect((await provider.verify(key)).valid).toBe(true);
      await settle();
      expect(warnings).toEqual([]);
      await provider.close?.();
    }
  });
});
