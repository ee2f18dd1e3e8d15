import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier, type Verifier } from '@keyguard/core';
import { ClerkClient, clerk } from '@keyguard/clerk';
import { keyguard } from '@keyguard/hono';
import { LoopbackServer } from '../../../test/support/loopback-server.js';
import { registerSecret } from '../../../test/support/secrets.js';
import { MachineService } from './support/machine-service.js';

// One provider accepting API keys and M2M tokens, two routes over real HTTP through an adapter: one taking M2M
// tokens only, one taking both. The check is core's guard, the same for every adapter.
const service = new MachineService();
let verifier: Verifier;
let app: LoopbackServer;
let apiKeySecret: string;
let m2mToken: string;
let m2mJwt: string;

beforeAll(async () => {
  await service.start();
  const target = service.machine('api');
  const worker = service.machine('worker', [target.id]);
  const client = new ClerkClient({ secretKey: service.secretKey, baseUrl: service.baseUrl, retry: false });
  const created = await client.apiKeys.create({ name: 'reporting', subject: 'user_1' });
  apiKeySecret = created.secret!;
  registerSecret(apiKeySecret);
  await client.close();
  m2mToken = (await service.mint(worker.secretKey)).token;
  m2mJwt = (await service.mint(worker.secretKey, { token_format: 'jwt' })).token;
  verifier = createVerifier({
    provider: clerk({ secretKey: service.secretKey, baseUrl: service.baseUrl, accepts: ['api_key', 'm2m_token'] }),
  });
  const hono = new Hono()
    .get('/jobs', keyguard({ verifier, accepts: ['m2m_token'] }), (c) => c.json({ kind: c.get('apiKey').kind }))
    .get('/reports', keyguard({ verifier }), (c) => c.json({ kind: c.get('apiKey').kind }));
  app = new LoopbackServer(createAdaptorServer({ fetch: hono.fetch }) as Server);
  await app.start();
});
afterAll(async () => {
  await app.stop();
  await verifier.close();
  await service.stop();
});

const get = async (path: string, token: string) => {
  const response = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
};

describe('kinds per route (Hono over loopback)', () => {
  it('reports each kind on the route that takes both', async () => {
    expect(await get('/reports', apiKeySecret)).toEqual({ status: 200, body: { kind: 'api_key' } });
    expect(await get('/reports', m2mToken)).toEqual({ status: 200, body: { kind: 'm2m_token' } });
    expect(await get('/reports', m2mJwt)).toEqual({ status: 200, body: { kind: 'm2m_token' } });
  });

  it('answers 401 invalid_token naming what the M2M-only route accepts, for an API key', async () => {
    expect(await get('/jobs', m2mToken)).toEqual({ status: 200, body: { kind: 'm2m_token' } });
    const denied = await get('/jobs', apiKeySecret);
    expect(denied).toMatchObject({
      status: 401,
      body: {
        code: 'INVALID_KEY_FORMAT',
        detail: 'This route accepts m2m_token credentials; this one is api_key.',
        accepts: ['m2m_token'],
      },
    });
  });
});
