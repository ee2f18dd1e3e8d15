import type { IncomingMessage, ServerResponse } from 'node:http';
import { createClerkClient } from '@clerk/backend';
import { ClerkAPIResponseError } from '@clerk/backend/errors';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeyServer, type KeyServer } from '@keyguard/server';
import { LoopbackServer } from '../support/loopback-server.js';
import { registerSecret } from '../support/secrets.js';

// Clerk's own backend SDK, unmodified, against the local key service: only `apiUrl` is set (the SDK then calls
// `${apiUrl}/api_keys…`, without a version segment). Answers must deserialize into the SDK's own resource classes
// (`APIKey`, `DeletedObject`) and failures must be its `ClerkAPIResponseError` with Clerk's status and code.

/** `METHOD /api_keys/<shape>` of each answered request, with ids replaced by `:id`. */
const operationOf = (request: IncomingMessage): string =>
  `${request.method ?? ''} ${
    (request.url ?? '')
      .split('?')[0]
      ?.replace(/^\/v1/, '')
      .replace(/\/ak_[0-9a-f]+/, '/:id') ?? ''
  }`;

const CLERK_OPERATIONS = [
  'POST /api_keys',
  'GET /api_keys',
  'GET /api_keys/:id',
  'PATCH /api_keys/:id',
  'DELETE /api_keys/:id',
  'GET /api_keys/:id/secret',
  'POST /api_keys/:id/revoke',
  'POST /api_keys/verify',
];

let server: KeyServer;
let loopback: LoopbackServer;
let apiUrl: string;
let secretKey: string;
const succeeded = new Set<string>();
const clerkFor = (key = secretKey) => createClerkClient({ secretKey: key, apiUrl });

beforeAll(async () => {
  server = createKeyServer();
  const boot = server.bootstrap();
  secretKey = boot.clerkSecretKey as string;
  registerSecret(boot.rootKey as string, secretKey);
  loopback = new LoopbackServer((request: IncomingMessage, response: ServerResponse) => {
    response.once('finish', () => {
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

describe('@clerk/backend apiKeys against the local key service', () => {
  it('create, get, getSecret, list, update, verify, revoke and delete', async () => {
    const { apiKeys } = clerkFor();
    const created = await apiKeys.create({
      name: 'ci deploy',
      subject: 'user_sdk',
      description: 'deploys',
      claims: { team: 'infra' },
      scopes: ['deploy', 'read'],
      createdBy: 'user_admin',
      secondsUntilExpiration: 3600,
    });
    registerSecret(created.secret as string);
    // The SDK's resource class (not exported; bundled as `_APIKey`): every APIKey answer must come back as one.
    const APIKeyClass = created.constructor;
    expect(APIKeyClass.name).toMatch(/APIKey$/);
    expect(created).toMatchObject({
      name: 'ci deploy',
      subject: 'user_sdk',
      scopes: ['deploy', 'read'],
      claims: { team: 'infra' },
      createdBy: 'user_admin',
      revoked: false,
      expired: false,
    });
    expect(created.id).toMatch(/^ak_[0-9a-f]{32}$/);
    expect(created.secret).toMatch(/^ak_/);
    expect(created.expiration).toBeGreaterThan(Date.now());

    const fetched = await apiKeys.get(created.id);
    expect(fetched).toBeInstanceOf(APIKeyClass);
    expect(fetched.secret).toBeUndefined();
    expect((await apiKeys.getSecret(created.id)).secret).toBe(created.secret);

    const second = await apiKeys.create({ name: 'second', subject: 'user_sdk' });
    registerSecret(second.secret as string);
    const listed = await apiKeys.list({ subject: 'user_sdk', limit: 1 });
    expect(listed.totalCount).toBe(2);
    expect(listed.data.map((key) => key.id)).toEqual([second.id]);
    expect(listed.data[0]).toBeInstanceOf(APIKeyClass);

    const updated = await apiKeys.update({
      apiKeyId: created.id,
      subject: 'user_sdk',
      description: 'deploys prod',
      scopes: ['deploy'],
    });
    expect(updated).toBeInstanceOf(APIKeyClass);
    expect(updated).toMatchObject({ description: 'deploys prod', scopes: ['deploy'] });

    const verified = await apiKeys.verify(created.secret as string);
    expect(verified).toBeInstanceOf(APIKeyClass);
    expect(verified).toMatchObject({ id: created.id, scopes: ['deploy'], revoked: false });
    expect(verified.lastUsedAt).not.toBeNull();

    const revoked = await apiKeys.revoke({ apiKeyId: created.id, revocationReason: 'rotated' });
    expect(revoked).toBeInstanceOf(APIKeyClass);
    expect(revoked).toMatchObject({ revoked: true, revocationReason: 'rotated' });
    expect((await failure(() => apiKeys.verify(created.secret as string))).status).toBe(404);
    expect((await apiKeys.list({ subject: 'user_sdk', includeInvalid: true })).totalCount).toBe(2);

    const deleted = await apiKeys.delete(second.id);
    expect(deleted.constructor.name).toMatch(/DeletedObject$/);
    expect(deleted).toMatchObject({ id: second.id, object: 'api_key', deleted: true });
    expect((await failure(() => apiKeys.get(second.id))).status).toBe(404);
  });

  it('answered every one of the eight operations with a success', () => {
    expect([...succeeded].sort()).toEqual([...CLERK_OPERATIONS].sort());
  });

  it('errors are ClerkAPIResponseError with Clerk status and code', async () => {
    const { apiKeys } = clerkFor();
    const invalid = await failure(() => apiKeys.create({ name: 'x', subject: 'user_sdk' }));
    expect(invalid.status).toBe(400);
    expect(invalid.errors[0]?.code).toBe('form_param_format_invalid');

    const unknownSecretKey = 'sk_test_unknowntothisserver0000';
    registerSecret(unknownSecretKey);
    const unauthorized = await failure(() => clerkFor(unknownSecretKey).apiKeys.list({ subject: 'user_sdk' }));
    expect(unauthorized.status).toBe(401);

    expect((await failure(() => apiKeys.get('ak_00000000000000000000000000000000'))).errors[0]?.code).toBe(
      'resource_not_found',
    );

    await apiKeys.create({ name: 'taken', subject: 'user_dup' }).then((key) => registerSecret(key.secret as string));
    const duplicate = await failure(() => apiKeys.create({ name: 'taken', subject: 'user_dup' }));
    expect([duplicate.status, duplicate.errors[0]?.code]).toEqual([409, 'duplicate_record']);
  });

  it('a workspace over its request quota answers 429 with Retry-After', async () => {
    const limited = createKeyServer({ requestQuota: { limit: 1, duration: 60_000 } });
    const key = limited.bootstrap().clerkSecretKey as string;
    registerSecret(key);
    const { url } = await limited.start();
    try {
      const { apiKeys } = createClerkClient({ secretKey: key, apiUrl: url });
      await apiKeys.list({ subject: 'user_quota' });
      const limitedError = await failure(() => apiKeys.list({ subject: 'user_quota' }));
      expect([limitedError.status, limitedError.errors[0]?.code]).toEqual([429, 'too_many_requests']);
      expect(limitedError.retryAfter).toBeGreaterThan(0);
    } finally {
      await limited.stop();
    }
  });
});
