import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordOutput, registerSecret } from '../../../test/support/secrets.js';
import type { KeyServerLogger } from '../src/index.js';
import { rawRequest, rootKeyWith, startHarness, type Harness } from './helpers.js';

// The root key of a /v2 request, over loopback (src/unkey/authenticate.ts, src/http/bearer.ts), and what it may do
// (src/domain/permissions/root-key-permissions.ts, src/domain/root-keys/grantable.ts, the keyguard.*RootKey routes):
// the exact answers, so a change of code, status or wording shows.
const logged: { message: string; fields?: Record<string, unknown> }[] = [];
const logger: KeyServerLogger = {
  info: (message, fields) => {
    logged.push({ message, fields });
    recordOutput(message, fields);
  },
  warn: (message, fields) => recordOutput(message, fields),
  error: (message, fields) => recordOutput(message, fields),
};
const FIX = 'send one Authorization: Bearer <root key> header';
let h: Harness;
let apiA: string;
let apiB: string;
let keyOfA: string;

// Registered in each describe, not at file level: a failing hook then fails that describe's tests, also under
// Stryker's vitest runner (which reads a failing file-level hook as skipped tests, so its mutants as survivors).
const setUp = () =>
  beforeAll(async () => {
    if (h) return;
    h = await startHarness({ logger });
    apiA = await h.createApi('auth-edges-a');
    apiB = await h.createApi('auth-edges-b');
    keyOfA = (await h.createKey(apiA)).key;
  });
afterAll(() => h?.stop());

const post = (authorization: string | string[] | undefined, operation = 'keyguard.getRootKey') =>
  rawRequest(h.url, {
    method: 'POST',
    path: `/v2/${operation}`,
    headers: { 'content-type': 'application/json', ...(authorization === undefined ? {} : { authorization }) },
    body: '{}',
  });

describe('the Authorization header', () => {
  setUp();
  it('missing, or present with nothing in it: 400 AUTHORIZATION_MISSING, with its issue', async () => {
    for (const header of [undefined, '', '   ']) {
      const answer = await post(header);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toEqual({
        title: 'Bad Request',
        detail: 'The Authorization header is missing.',
        status: 400,
        type: expect.stringMatching(/\/authentication\/missing$/),
        errors: [{ location: 'header.Authorization', message: 'is required', fix: FIX }],
      });
    }
  });

  it('another scheme, no token, or a token outside RFC 6750’s characters: 400 AUTHORIZATION_MALFORMED', async () => {
    for (const header of ['Basic abc', 'Bearer', 'Bearer ', 'Bearer a b', `Bearer ${h.rootKey} x`, 'Bearer a"b']) {
      const answer = await post(header);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toEqual({
        title: 'Bad Request',
        detail: 'The Authorization header is malformed; expected "Bearer <root key>".',
        status: 400,
        type: expect.stringMatching(/\/authentication\/malformed$/),
        errors: [{ location: 'header.Authorization', message: 'must be "Bearer <root key>"', fix: FIX }],
      });
      expect(JSON.stringify(answer.body)).not.toContain(h.rootKey);
    }
  });

  it('only the Authorization header counts: a root key in x-api-key is no root key', async () => {
    const headers = { 'content-type': 'application/json', 'x-api-key': h.rootKey };
    const request = (extra: Record<string, string>) =>
      rawRequest(h.url, {
        method: 'POST',
        path: '/v2/keyguard.getRootKey',
        headers: { ...headers, ...extra },
        body: '{}',
      });
    const alone = await request({});
    expect(alone.status).toBe(400);
    expect(alone.body.error.detail).toBe('The Authorization header is missing.');
    expect((await request({ authorization: `Bearer ${h.rootKey}` })).status).toBe(200);
  });

  it('sent twice, even once empty: 400 with its own detail', async () => {
    for (const pair of [
      [`Bearer ${h.rootKey}`, `Bearer ${h.rootKey}`],
      [`Bearer ${h.rootKey}`, 'Basic x'],
    ]) {
      const answer = await post(pair);
      expect(answer.status).toBe(400);
      expect(answer.body.error).toMatchObject({
        detail: 'The Authorization header was sent more than once.',
        errors: [{ location: 'header.Authorization', message: 'must be sent once', fix: FIX }],
      });
      expect(JSON.stringify(answer.body)).not.toContain(h.rootKey);
    }
  });

  it('an unknown root key, or one deleted: 401 CREDENTIAL_NOT_FOUND without errors, never echoing it', async () => {
    const unknown = 'kgroot_authedgesunknown0000';
    const created = await h.call('keyguard.createRootKey', { permissions: ['api.*.read_api'] });
    const deleted: string = created.body.data.key;
    registerSecret(deleted);
    expect((await post(`Bearer ${deleted}`)).status).toBe(200);
    await h.call('keyguard.deleteRootKey', { rootKeyId: created.body.data.rootKeyId });
    for (const key of [unknown, deleted]) {
      const answer = await post(`Bearer ${key}`);
      expect(answer.status).toBe(401);
      expect(answer.body.error).toEqual({
        title: 'Unauthorized',
        detail: 'The root key is unknown or was revoked.',
        status: 401,
        type: expect.stringMatching(/\/authentication\/key_not_found$/),
      });
      expect(JSON.stringify(answer.body)).not.toContain(key);
    }
  });

  it('a known root key: its id and its permissions, sorted', async () => {
    const key = rootKeyWith(h, ['rbac.*.read_role', 'api.*.verify_key', 'identity.*.read_identity']);
    const answer = await post(`Bearer ${key}`);
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({
      rootKeyId: expect.stringMatching(/^rk_/),
      permissions: ['api.*.verify_key', 'identity.*.read_identity', 'rbac.*.read_role'],
    });
  });
});

describe('api.<id>.<action> permissions', () => {
  setUp();
  const verify = (rootKey: string) => h.call('keys.verifyKey', { key: keyOfA }, rootKey);

  it('an action on some API is not the action on any API: the answer names both forms it needs', async () => {
    for (const permissions of [['ratelimit.*.verify_key'], [`api.${apiA}.xverify_key`], ['api.*.verify_keys'], []]) {
      const answer = await verify(rootKeyWith(h, permissions));
      expect(answer.status).toBe(403);
      expect(answer.body.error).toEqual({
        title: 'Forbidden',
        detail:
          'This root key lacks the permission for this operation; it needs api.*.verify_key or api.<apiId>.verify_key.',
        status: 403,
        type: expect.stringMatching(/insufficient_permissions$/),
      });
    }
  });

  it('a key scoped to another API passes the first check and then finds nothing', async () => {
    const answer = await verify(rootKeyWith(h, [`api.${apiB}.verify_key`]));
    expect(answer.status).toBe(200);
    expect(answer.body.data).toEqual({ valid: false, code: 'NOT_FOUND' });
    expect((await verify(rootKeyWith(h, [`api.${apiA}.verify_key`]))).body.data.code).toBe('VALID');
  });

  it('an operation on one API names the permission on that API', async () => {
    const reader = rootKeyWith(h, [`api.${apiB}.read_api`]);
    const answer = await h.call('apis.getApi', { apiId: apiA }, reader);
    expect(answer.status).toBe(403);
    expect(answer.body.error.detail).toBe(
      `This root key lacks the permission for this operation; it needs api.*.read_api or api.${apiA}.read_api.`,
    );
    expect((await h.call('apis.getApi', { apiId: apiB }, reader)).status).toBe(200);
  });

  it('keyguard.listApis lists only the APIs the root key may read, and refuses a key that may read none', async () => {
    const reader = rootKeyWith(h, [`api.${apiB}.read_api`]);
    const answer = await h.call('keyguard.listApis', {}, reader);
    expect(answer.body.data.map((api: { id: string }) => api.id)).toEqual([apiB]);
    const everything = await h.call('keyguard.listApis', {}, rootKeyWith(h, ['api.*.read_api']));
    expect(everything.body.data.map((api: { id: string }) => api.id)).toEqual(expect.arrayContaining([apiA, apiB]));
    const none = await h.call('keyguard.listApis', {}, rootKeyWith(h, [`api.${apiB}.verify_key`]));
    expect(none.status).toBe(403);
    expect(none.body.error.detail).toContain('api.*.read_api or api.<apiId>.read_api');
  });
});

describe('managing root keys (rbac.*.<action>_root_key)', () => {
  setUp();
  it('each route needs its own permission, or *; the 403 names both', async () => {
    const cases = [
      ['keyguard.createRootKey', { permissions: ['api.*.read_api'] }, 'create'],
      ['keyguard.listRootKeys', {}, 'read'],
      ['keyguard.deleteRootKey', { rootKeyId: 'rk_none' }, 'delete'],
    ] as const;
    for (const [operation, body, action] of cases) {
      const others = ['create', 'read', 'delete'].filter((other) => other !== action);
      const lacking = rootKeyWith(h, [...others.map((other) => `rbac.*.${other}_root_key`), 'api.*.read_api']);
      const refused = await h.call(operation, body, lacking);
      expect(refused.status).toBe(403);
      expect(refused.body.error.detail).toBe(
        `This root key lacks the permission for this operation; it needs * or rbac.*.${action}_root_key.`,
      );
      const allowed = await h.call(operation, body, rootKeyWith(h, [`rbac.*.${action}_root_key`, 'api.*.read_api']));
      expect(allowed.status).not.toBe(403);
      const star = await h.call(operation, body, rootKeyWith(h, ['*']));
      expect(star.status).not.toBe(403);
    }
  });

  it('a creator hands out what it holds: exactly, through its wildcard, or anything with *', async () => {
    const exact = rootKeyWith(h, ['rbac.*.create_root_key', `api.${apiA}.verify_key`]);
    const wildcard = rootKeyWith(h, ['rbac.*.create_root_key', 'api.*.verify_key']);
    const star = rootKeyWith(h, ['*']);
    const create = async (creator: string, permissions: string[]) => {
      const answer = await h.call('keyguard.createRootKey', { permissions }, creator);
      if (answer.status === 200) registerSecret(answer.body.data.key);
      return answer;
    };
    expect((await create(exact, [`api.${apiA}.verify_key`])).status).toBe(200);
    expect((await create(exact, [`api.${apiB}.verify_key`])).status).toBe(403);
    expect((await create(exact, ['api.*.verify_key'])).status).toBe(403);
    expect((await create(wildcard, [`api.${apiB}.verify_key`, 'api.*.verify_key'])).status).toBe(200);
    expect((await create(star, ['*', 'rbac.*.delete_root_key', `ratelimit.ns_1.limit`])).status).toBe(200);
    const refused = await create(exact, [`api.${apiA}.verify_key`, 'api.*.read_api', `api.${apiB}.read_key`]);
    expect(refused.body.error.detail).toBe(
      `This root key cannot grant permissions it does not hold itself: api.*.read_api, api.${apiB}.read_key.`,
    );
    // `*` itself is only for a creator holding `*`.
    expect((await create(wildcard, ['*'])).status).toBe(403);
  });

  it('refuses a permission this server does not know, naming the first and where it is', async () => {
    const unknown = [
      'api.*.fly',
      'api..verify_key',
      'api.a b.verify_key',
      'API.*.verify_key',
      'api.*.verify_key.extra',
      'x api.*.verify_key',
      'api.*.Verify_key',
      'api.*.verify_key ',
      'nope.*.verify_key',
      '**',
    ];
    for (const permission of unknown) {
      const answer = await h.call('keyguard.createRootKey', { permissions: ['api.*.read_api', permission] });
      expect(answer.status, permission).toBe(400);
      expect(answer.body.error).toMatchObject({
        detail: `Unknown root key permission "${permission}".`,
        errors: [
          {
            location: 'body.permissions[1]',
            message: 'is not a permission this server knows',
            fix: 'use <resource>.<id or *>.<action>, e.g. api.<apiId>.verify_key or api.*.verify_key, or *',
          },
        ],
      });
    }
    for (const permission of ['api.API_x-1.verify_key', 'rbac.*.create_root_key', 'identity.id_1.read_identity'])
      expect((await h.call('keyguard.createRootKey', { permissions: [permission] })).status, permission).toBe(200);
  });

  it('logs who was created and deleted by id and permissions, never the key', async () => {
    logged.length = 0;
    const created = await h.call('keyguard.createRootKey', { permissions: [`api.${apiA}.read_api`], name: 'logged' });
    const { rootKeyId, key } = created.body.data;
    registerSecret(key);
    expect(logged).toContainEqual({
      message: 'root key created',
      fields: { rootKeyId, permissions: [`api.${apiA}.read_api`] },
    });
    const listed = await h.call('keyguard.listRootKeys', {});
    expect(listed.body.data.find((entry: { id: string }) => entry.id === rootKeyId)).toMatchObject({
      name: 'logged',
    });
    expect((await h.call('keyguard.deleteRootKey', { rootKeyId })).body).toMatchObject({ data: {} });
    expect(logged).toContainEqual({ message: 'root key deleted', fields: { rootKeyId } });
    expect(JSON.stringify(logged)).not.toContain(key);
  });

  it('deleting itself is 400, an unknown one 404, each with its detail', async () => {
    const self = (await h.call('keyguard.getRootKey', {})).body.data.rootKeyId;
    const itself = await h.call('keyguard.deleteRootKey', { rootKeyId: self });
    expect(itself.body.error.detail).toBe('A root key cannot delete itself; delete it with another root key.');
    expect((await h.call('keyguard.getRootKey', {})).status).toBe(200);
    const unknown = await h.call('keyguard.deleteRootKey', { rootKeyId: 'rk_unknown' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toMatchObject({
      detail: 'The root key does not exist or was deleted.',
      type: expect.stringMatching(/\/data\/key_not_found$/),
    });
  });
});
