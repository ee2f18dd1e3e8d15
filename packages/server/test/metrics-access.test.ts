import { afterEach, describe, expect, it } from 'vitest';
import { createKeyServer, KeyServerOptionError, type KeyServer } from '../src/index.js';
import { defaultMetricsAccess } from '../src/key-server/metrics-access.js';
import { registerSecret } from '../../../test/support/secrets.js';

const started: KeyServer[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.stop()));
});

async function serve(options: Parameters<typeof createKeyServer>[0]) {
  const server = createKeyServer(options);
  started.push(server);
  const rootKey = server.bootstrap().rootKey as string;
  registerSecret(rootKey);
  const { url } = await server.start();
  return { url, rootKey, server };
}

describe('GET /metrics access', () => {
  it('is open on loopback by default', async () => {
    const { url } = await serve({});
    expect((await fetch(`${url}/metrics`)).status).toBe(200);
  });

  it("with 'root-key' answers 401 without a live root key, 200 with one", async () => {
    const { url, rootKey, server } = await serve({ metricsAccess: 'root-key' });
    const none = await fetch(`${url}/metrics`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer');
    const wrong = await fetch(`${url}/metrics`, { headers: { authorization: 'Bearer not-a-root-key-at-all' } });
    expect(wrong.status).toBe(401);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${rootKey}` } })).status).toBe(200);
    const verifier = server.createRootKey(['api.*.verify_key']);
    registerSecret(verifier);
    expect((await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${verifier}` } })).status).toBe(200);
  });

  it('defaults to the root key on any host that is not loopback', () => {
    expect(['127.0.0.1', '127.0.0.2', '::1', 'localhost'].map(defaultMetricsAccess)).toEqual(Array(4).fill('open'));
    expect(['0.0.0.0', '::', '10.0.0.5', 'example.com'].map(defaultMetricsAccess)).toEqual(Array(4).fill('root-key'));
  });

  it('refuses an unknown metricsAccess', () => {
    expect(() => createKeyServer({ metricsAccess: 'public' as never })).toThrow(KeyServerOptionError);
  });
});
