import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVerifier } from '@keyguard/core';
import { UnkeyClient, unkey } from '@keyguard/unkey';
import type { Verifier } from '@keyguard/core';
import { keyguard, requirePermissions } from '@keyguard/express';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { registerSecret } from '../support/secrets.js';

// The whole path a user runs: Express + keyguard + the Unkey provider + the local key service, over HTTP.
let server: KeyServer;
let client: UnkeyClient;
let verifier: Verifier;
let apiId: string;

async function createKey(extra: Partial<Parameters<UnkeyClient['keys']['createKey']>[0]> = {}) {
  const { data } = await client.keys.createKey({ apiId, prefix: 'e2e', ...extra });
  registerSecret(data.key);
  return data;
}

function buildApp() {
  const app = express();
  const auth = keyguard({ verifier });
  app.get(
    '/me',
    auth,
    (req, res) =>
      void res.json({
        id: req.apiKey?.id,
        identity: req.apiKey?.identity?.externalId ?? null,
        credits: req.apiKey?.credits ?? null,
      }),
  );
  app.get(
    '/optional',
    keyguard({ verifier, optional: true }),
    (req, res) => void res.json({ id: req.apiKey?.id ?? null }),
  );
  app.post(
    '/documents',
    auth,
    requirePermissions('documents.write'),
    express.json(),
    (_req, res) => void res.status(201).end(),
  );
  return app;
}

beforeAll(async () => {
  server = createKeyServer();
  const rootKey = server.bootstrap().rootKey!;
  registerSecret(rootKey);
  const { url } = await server.start();
  client = new UnkeyClient({ rootKey, baseUrl: url, retry: false });
  verifier = createVerifier({ provider: unkey({ rootKey, baseUrl: url }), clients: [client] });
  apiId = (await client.apis.createApi({ name: 'e2e-express' })).data.apiId;
});
afterAll(async () => {
  await verifier.close();
  await client.close();
  await server.stop();
});

describe('Express against the local key service', () => {
  it('authenticates, guards and answers optional routes', async () => {
    const reader = await createKey({ externalId: 'user_42', permissions: ['documents.read'] });
    const writer = await createKey({ permissions: ['documents.write'] });
    const app = buildApp();
    await request(app).get('/me').expect(401);
    await request(app)
      .get('/me')
      .set('Authorization', `Bearer ${reader.key}`)
      .expect(200, { id: reader.keyId, identity: 'user_42', credits: null });
    await request(app).post('/documents').set('x-api-key', reader.key).expect(403);
    await request(app).post('/documents').set('x-api-key', writer.key).send({}).expect(201);
    await request(app).get('/optional').expect(200, { id: null });
    await request(app).get('/optional').set('x-api-key', writer.key).expect(200, { id: writer.keyId });
    await request(app).get('/me').set('x-api-key', 'e2e_unknownkey12345').expect(401);
  });

  it('spends exactly one credit per request and answers 429 when they run out', async () => {
    const metered = await createKey({ credits: { remaining: 3 } });
    const app = buildApp();
    const statuses: number[] = [];
    const credits: unknown[] = [];
    for (let index = 0; index < 5; index++) {
      const response = await request(app).get('/me').set('x-api-key', metered.key);
      statuses.push(response.status);
      credits.push(response.body.credits ?? response.body.code);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(credits).toEqual([2, 1, 0, 'USAGE_EXCEEDED', 'USAGE_EXCEEDED']);
  });

  it('admits exactly N requests of a rate-limited key, then 429 with Retry-After from memory', async () => {
    const limited = await createKey({
      ratelimits: [{ name: 'requests', limit: 2, duration: 60_000, autoApply: true }],
    });
    const app = buildApp();
    const responses = await Promise.all(
      Array.from({ length: 6 }, () => request(app).get('/me').set('x-api-key', limited.key)),
    );
    expect(responses.filter((response) => response.status === 200)).toHaveLength(2);
    const denied = responses.filter((response) => response.status === 429);
    expect(denied).toHaveLength(4);
    expect(Number(denied[0]!.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('drops a key deleted through the client handed to the verifier at once', async () => {
    const doomed = await createKey();
    const app = buildApp();
    await request(app).get('/me').set('x-api-key', doomed.key).expect(200);
    await client.keys.deleteKey({ keyId: doomed.keyId });
    await request(app).get('/me').set('x-api-key', doomed.key).expect(401);
  });

  it('drops the cached keys of an API deleted through the client at once', async () => {
    const otherApi = (await client.apis.createApi({ name: 'e2e-doomed-api' })).data.apiId;
    const { data: doomed } = await client.keys.createKey({ apiId: otherApi, prefix: 'e2e' });
    registerSecret(doomed.key);
    const app = buildApp();
    await request(app).get('/me').set('x-api-key', doomed.key).expect(200);
    expect((await verifier.verify(doomed.key)).source).toBe('cache');
    await client.apis.deleteApi({ apiId: otherApi });
    await request(app).get('/me').set('x-api-key', doomed.key).expect(401);
  });

  it('keeps keys across a restart with a file database', async () => {
    const directory = mkdtempSync(join(tmpdir(), 'keyguard-e2e-'));
    const database = join(directory, 'keys.sqlite');
    try {
      const first = createKeyServer({ database, secret: 'e2e-secret-0123456789abcdef0123' });
      const rootKey = first.bootstrap().rootKey!;
      registerSecret(rootKey);
      const firstUrl = (await first.start()).url;
      const firstClient = new UnkeyClient({ rootKey, baseUrl: firstUrl, retry: false });
      const api = (await firstClient.apis.createApi({ name: 'restart' })).data.apiId;
      const { data: created } = await firstClient.keys.createKey({ apiId: api, prefix: 'kept' });
      registerSecret(created.key);
      await firstClient.close();
      await first.stop();

      const second = createKeyServer({ database, secret: 'e2e-secret-0123456789abcdef0123' });
      expect(second.bootstrap().rootKey).toBeUndefined();
      const secondUrl = (await second.start()).url;
      const provider = unkey({ rootKey, baseUrl: secondUrl });
      expect(await provider.verify(created.key)).toMatchObject({ valid: true, keyId: created.keyId });
      await provider.close?.();
      await second.stop();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
