import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigurationError, createVerifier } from '@keyguard/core';
import type { AdapterOptions, Provider, ProviderAnswer } from '@keyguard/core';
import { keyguard } from '@keyguard/fastify';

/** A key store of the application's own, holding one credential of each kind, counting its lookups. */
function kindsProvider(): Provider & { calls: number } {
  const kinds: Record<string, { kind: string; permissions: string[] }> = {
    tok_api_key: { kind: 'api_key', permissions: ['docs.write'] },
    tok_machine: { kind: 'm2m_token', permissions: [] },
  };
  const provider = {
    name: 'kinds',
    calls: 0,
    async verify(key: string): Promise<ProviderAnswer> {
      provider.calls += 1;
      const found = Object.hasOwn(kinds, key) ? kinds[key] : undefined;
      if (!found) return { valid: false, code: 'NOT_FOUND', metered: false };
      const { kind, permissions } = found;
      const base = { id: `id_${key}`, provider: 'kinds', permissions, roles: [], meta: {}, enabled: true };
      return { valid: true, code: 'VALID', metered: false, key: { ...base, kind } };
    },
  };
  return provider;
}

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

async function buildApp(options: AdapterOptions = {}) {
  const provider = kindsProvider();
  const app = Fastify();
  apps.push(app);
  await app.register(keyguard, { verifier: createVerifier({ provider }), ...options });
  const answer = async (request: { apiKey?: { kind?: string } }) => ({ kind: request.apiKey?.kind ?? null });
  app.get('/any', answer);
  app.get('/machines', { config: { keyguard: { accepts: ['m2m_token'] } } }, answer);
  app.get('/api-keys', { config: { keyguard: { accepts: ['api_key'] } } }, answer);
  app.get('/write', { config: { keyguard: { accepts: ['api_key'], permissions: 'docs.write' } } }, answer);
  app.get('/machines-optional', { config: { keyguard: { accepts: ['m2m_token'], optional: true } } }, answer);
  return { app, provider };
}

const send = (app: FastifyInstance, url: string, key?: string) =>
  app.inject({ url, headers: key ? { authorization: `Bearer ${key}` } : {} });

describe("Fastify route config's accepts", () => {
  it('takes only the kinds a route names; other routes of the scope take every kind', async () => {
    const { app, provider } = await buildApp();
    expect((await send(app, '/machines', 'tok_machine')).json()).toEqual({ kind: 'm2m_token' });
    const refused = await send(app, '/machines', 'tok_api_key');
    expect(refused.statusCode).toBe(401);
    expect(refused.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    expect(refused.json()).toMatchObject({
      detail: 'This route accepts m2m_token credentials; this one is api_key.',
      accepts: ['m2m_token'],
    });
    expect((await send(app, '/api-keys', 'tok_api_key')).json()).toEqual({ kind: 'api_key' });
    expect((await send(app, '/api-keys', 'tok_machine')).statusCode).toBe(401);
    for (const key of ['tok_api_key', 'tok_machine']) expect((await send(app, '/any', key)).statusCode).toBe(200);
    // Each credential verified once: the route's kinds are checked on the remembered answer.
    expect(provider.calls).toBe(2);
  });

  it("leaves the route's permissions and optional as they were", async () => {
    const { app } = await buildApp();
    expect((await send(app, '/write', 'tok_api_key')).statusCode).toBe(200);
    expect((await send(app, '/write', 'tok_machine')).json()).toMatchObject({ accepts: ['api_key'] });
    expect((await send(app, '/machines-optional')).json()).toEqual({ kind: null });
    expect((await send(app, '/machines-optional', 'tok_api_key')).statusCode).toBe(401);
  });

  it('refuses an empty route accepts when the route is declared', async () => {
    const { app } = await buildApp();
    expect(() => app.get('/none', { config: { keyguard: { accepts: [] } } }, async () => ({}))).toThrow(
      ConfigurationError,
    );
  });

  it("replaces the registration's accepts on the routes that name their own", async () => {
    const { app } = await buildApp({ accepts: ['api_key'] });
    expect((await send(app, '/any', 'tok_machine')).json()).toMatchObject({
      detail: 'This route accepts api_key credentials; this one is m2m_token.',
    });
    expect((await send(app, '/any', 'tok_api_key')).statusCode).toBe(200);
    expect((await send(app, '/machines', 'tok_machine')).statusCode).toBe(200);
    expect((await send(app, '/machines', 'tok_api_key')).statusCode).toBe(401);
  });
});
