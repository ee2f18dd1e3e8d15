import type { IncomingMessage, ServerResponse } from 'node:http';
import { createClerkClient } from '@clerk/backend';
import { ClerkAPIResponseError } from '@clerk/backend/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { LoopbackServer } from '../support/loopback-server.js';
import { registerSecret } from '../support/secrets.js';

// Clerk's own backend SDK, unmodified, against the local key service's machine auth: only `apiUrl` is set. The
// SDK calls `/m2m_tokens…` and `/oauth_applications/access_tokens/verify` without a version segment, `/v1/machines…`
// and `/v1/jwks` with one; answers must deserialize into its resource classes, JWT M2M tokens must pass its own
// verification (JWKS fetched from the server, or the PEM `jwtKey`), and failures must be `ClerkAPIResponseError`s.

/** `METHOD <path>` of each answered request, without `/v1`, ids replaced by `:id`. */
const operationOf = (request: IncomingMessage): string =>
  `${request.method ?? ''} ${(request.url ?? '')
    .split('?')[0]
    ?.replace(/^\/v1/, '')
    .replace(/\/(mt|mch)_[0-9A-Za-z]+/, '/:id')}`;

const M2M_OPERATIONS = [
  'POST /m2m_tokens',
  'GET /m2m_tokens',
  'POST /m2m_tokens/:id/revoke',
  'POST /m2m_tokens/verify',
  'GET /jwks',
  'POST /oauth_applications/access_tokens/verify',
];

/** `authenticateRequest` needs a publishable key even for machine tokens; its Frontend API host is never called. */
const PUBLISHABLE_KEY = `pk_test_${Buffer.from('keyguard.clerk.accounts.dev$').toString('base64')}`;

let server: KeyServer;
let loopback: LoopbackServer;
let apiUrl: string;
let secretKey: string;
const answered: string[] = [];
const succeeded = new Set<string>();
const clerkFor = (options: { machineSecretKey?: string } = {}) => createClerkClient({ secretKey, apiUrl, ...options });
const bearer = (token: string) =>
  new Request('http://app.test/jobs', { headers: { authorization: `Bearer ${token}` } });

beforeAll(async () => {
  server = createKeyServer();
  const boot = server.bootstrap();
  secretKey = boot.clerkSecretKey as string;
  registerSecret(boot.rootKey as string, secretKey);
  loopback = new LoopbackServer((request: IncomingMessage, response: ServerResponse) => {
    response.once('finish', () => {
      answered.push(operationOf(request));
      if (response.statusCode >= 200 && response.statusCode < 300) succeeded.add(operationOf(request));
    });
    server.handler(request, response);
  });
  apiUrl = await loopback.start();
});
afterAll(async () => {
  await loopback.stop();
  await server.stop();
});

async function failure(call: () => Promise<unknown>): Promise<ClerkAPIResponseError> {
  try {
    await call();
  } catch (error) {
    expect(error).toBeInstanceOf(ClerkAPIResponseError);
    return error as ClerkAPIResponseError;
  }
  throw new Error('expected the call to fail');
}

async function machines() {
  const { machines: api } = clerkFor();
  const target = await api.create({ name: 'billing api' });
  registerSecret(target.secretKey as string);
  const worker = await api.create({ name: 'worker', scopedMachines: [target.id], defaultTokenTtl: 600 });
  registerSecret(worker.secretKey as string);
  return { target, worker, targetKey: target.secretKey as string, workerKey: worker.secretKey as string };
}

describe('@clerk/backend machines and m2m against the local key service', () => {
  it('machines.create, get, list and getSecretKey answer Machine objects', async () => {
    const { target, worker, workerKey } = await machines();
    expect(worker.constructor.name).toMatch(/Machine$/);
    expect(worker).toMatchObject({ name: 'worker', defaultTokenTtl: 600 });
    expect(worker.scopedMachines.map((machine) => machine.id)).toEqual([target.id]);
    expect((await clerkFor().machines.get(worker.id)).name).toBe('worker');
    expect((await clerkFor().machines.list({ query: 'worker' })).totalCount).toBeGreaterThan(0);
    expect((await clerkFor().machines.getSecretKey(worker.id)).secret).toBe(workerKey);
  });

  it('machines.update, createScope, deleteScope, rotateSecretKey and delete', async () => {
    const { target, worker, workerKey } = await machines();
    const { machines: api } = clerkFor();
    expect(await api.update({ machineId: worker.id, name: 'worker 2', defaultTokenTtl: 60 })).toMatchObject({
      name: 'worker 2',
      defaultTokenTtl: 60,
    });
    const other = await api.create({ name: 'reports' });
    registerSecret(other.secretKey as string);
    const scope = await api.createScope(worker.id, other.id);
    expect(scope.constructor.name).toMatch(/MachineScope$/);
    expect(scope).toMatchObject({ fromMachineId: worker.id, toMachineId: other.id });
    const scoped = await clerkFor({ machineSecretKey: workerKey }).m2m.createToken();
    registerSecret(scoped.token as string);
    expect(scoped.scopes).toEqual([target.id, other.id]);
    // A body with `deleted` becomes the SDK's DeletedObject, as Clerk's own MachineScope.Deleted does.
    expect(await api.deleteScope(worker.id, other.id)).toMatchObject({ object: 'machine_scope', deleted: true });

    const rotated = await api.rotateSecretKey({ machineId: worker.id, previousTokenTtl: 0 });
    registerSecret(rotated.secret);
    expect((await failure(() => clerkFor({ machineSecretKey: workerKey }).m2m.createToken())).status).toBe(401);
    const fresh = await clerkFor({ machineSecretKey: rotated.secret }).m2m.createToken();
    registerSecret(fresh.token as string);
    expect(fresh.scopes).toEqual([target.id]);

    expect(await api.delete(worker.id)).toMatchObject({ id: worker.id, deleted: true });
    expect((await failure(() => api.get(worker.id))).status).toBe(404);
  });

  it('createToken (opaque and JWT), list, verify and revokeToken; errors as Clerk answers them', async () => {
    const { target, worker, targetKey, workerKey } = await machines();
    const { m2m } = clerkFor({ machineSecretKey: workerKey });
    const opaque = await m2m.createToken({ claims: { job: 'nightly' } });
    registerSecret(opaque.token as string);
    const M2MTokenClass = opaque.constructor;
    expect(M2MTokenClass.name).toMatch(/M2MToken$/);
    expect(opaque).toMatchObject({
      subject: worker.id,
      scopes: [target.id],
      claims: { job: 'nightly' },
      revoked: false,
    });
    expect(opaque.expiration).toBeGreaterThan(Date.now() + 590_000);

    const jwt = await m2m.createToken({ tokenFormat: 'jwt', secondsUntilExpiration: 120 });
    registerSecret(jwt.token as string);
    expect(jwt.token?.split('.')).toHaveLength(3);

    const listed = await clerkFor().m2m.list({ subject: worker.id });
    expect([listed.totalCount, listed.data[0]?.id]).toEqual([1, opaque.id]);
    expect(listed.data[0]).toBeInstanceOf(M2MTokenClass);

    const verified = await clerkFor().m2m.verify({ token: opaque.token as string, machineSecretKey: targetKey });
    expect(verified).toBeInstanceOf(M2MTokenClass);
    expect(verified).toMatchObject({ id: opaque.id, subject: worker.id, scopes: [target.id] });
    // A JWT is verified by the SDK itself, with the keys of GET /v1/jwks.
    const verifiedJwt = await clerkFor().m2m.verify({ token: jwt.token as string });
    expect(verifiedJwt).toMatchObject({ id: jwt.id, subject: worker.id, scopes: [target.id] });
    expect(answered).toContain('GET /jwks');

    const revoked = await m2m.revokeToken({ m2mTokenId: opaque.id, revocationReason: 'rotated' });
    expect(revoked).toMatchObject({ id: opaque.id, revoked: true, revocationReason: 'rotated' });
    const gone = await failure(() => clerkFor().m2m.verify({ token: opaque.token as string }));
    expect([gone.status, gone.errors[0]?.code]).toEqual([404, 'resource_not_found']);
    const wrongKey = 'ak_not_a_machine_secret_key_0000';
    registerSecret(wrongKey);
    const unauthorized = await failure(() => m2m.createToken({ machineSecretKey: wrongKey }));
    expect([unauthorized.status, unauthorized.errors[0]?.code]).toEqual([401, 'machine_secret_key_invalid']);
    const instanceKey = await failure(() => clerkFor().m2m.createToken());
    expect(instanceKey.status).toBe(401);
  });

  it('authenticateRequest accepts our M2M tokens: opaque, JWT by JWKS and JWT by jwtKey (no request)', async () => {
    const { worker, targetKey, workerKey } = await machines();
    const { m2m } = clerkFor({ machineSecretKey: workerKey });
    const opaque = await m2m.createToken();
    const jwt = await m2m.createToken({ tokenFormat: 'jwt' });
    registerSecret(opaque.token as string, jwt.token as string);
    const options = { publishableKey: PUBLISHABLE_KEY, acceptsToken: 'm2m_token' as const };

    const byServer = await clerkFor().authenticateRequest(bearer(opaque.token as string), {
      ...options,
      machineSecretKey: targetKey,
    });
    expect(byServer.isAuthenticated).toBe(true);
    expect(byServer.toAuth()).toMatchObject({ tokenType: 'm2m_token', id: opaque.id, subject: worker.id });

    const byJwks = await clerkFor().authenticateRequest(bearer(jwt.token as string), options);
    expect(byJwks.toAuth()).toMatchObject({ tokenType: 'm2m_token', id: jwt.id, subject: worker.id });

    const before = answered.length;
    const jwtKey = server.clerkJwtPublicKey();
    const byKey = await clerkFor().authenticateRequest(bearer(jwt.token as string), { ...options, jwtKey });
    expect(byKey.toAuth()).toMatchObject({ tokenType: 'm2m_token', id: jwt.id, subject: worker.id });
    expect(answered.length).toBe(before);

    await m2m.revokeToken({ m2mTokenId: opaque.id });
    const revoked = await clerkFor().authenticateRequest(bearer(opaque.token as string), {
      ...options,
      machineSecretKey: targetKey,
    });
    expect(revoked.isAuthenticated).toBe(false);
  });

  it('an expired JWT fails the SDK verification', async () => {
    const { workerKey } = await machines();
    const jwt = await clerkFor({ machineSecretKey: workerKey }).m2m.createToken({
      tokenFormat: 'jwt',
      secondsUntilExpiration: 1,
    });
    registerSecret(jwt.token as string);
    // Wait past `exp` (whole seconds); no timing is asserted, only the outcome once it has passed.
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, (jwt.expiration as number) - Date.now()) + 50));
    const state = await clerkFor().authenticateRequest(bearer(jwt.token as string), {
      publishableKey: PUBLISHABLE_KEY,
      acceptsToken: 'm2m_token',
      clockSkewInMs: 0,
    });
    expect(state.isAuthenticated).toBe(false);
  });
});

describe('@clerk/backend OAuth access-token verification against the local key service', () => {
  it('idPOAuthAccessToken.verify and authenticateRequest accept a created token; an unknown one is a 404', async () => {
    const created = server.createOAuthAccessToken({ subject: 'user_sdk', clientId: 'client_sdk', scopes: ['read'] });
    registerSecret(created.token);
    const verified = await clerkFor().idPOAuthAccessToken.verify(created.token);
    expect(verified.constructor.name).toMatch(/IdPOAuthAccessToken$/);
    expect(verified).toMatchObject({ id: created.id, clientId: 'client_sdk', subject: 'user_sdk', scopes: ['read'] });

    const options = { publishableKey: PUBLISHABLE_KEY, acceptsToken: 'oauth_token' as const };
    const state = await clerkFor().authenticateRequest(bearer(created.token), options);
    expect(state.toAuth()).toMatchObject({ tokenType: 'oauth_token', id: created.id, subject: 'user_sdk' });

    const unknown = await failure(() => clerkFor().idPOAuthAccessToken.verify('oat_unknown_to_this_server_000'));
    expect([unknown.status, unknown.errors[0]?.code]).toEqual([404, 'resource_not_found']);
  });

  it('answered every m2m and OAuth route with a success', () => {
    expect(M2M_OPERATIONS.filter((operation) => !succeeded.has(operation))).toEqual([]);
  });
});
