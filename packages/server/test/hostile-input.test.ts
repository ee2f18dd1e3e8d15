/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers of the wire format, checked by assertions */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_JSON_DEPTH } from '../src/validation/json-value.js';
import { openSqlite } from '../src/store/sqlite/open.js';
import { expectClerkError, startClerkHarness, type ClerkHarness } from './clerk-helpers.js';
import { startHarness, type Harness } from './helpers.js';

/** `{"a":{"a":…1…}}`: `levels` objects nested, as JSON text (JSON.stringify itself overflows the stack on deep values). */
const nested = (levels: number) => `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;

let h: Harness;
let clerk: ClerkHarness;
let apiId: string;
beforeAll(async () => {
  h = await startHarness();
  clerk = await startClerkHarness();
  apiId = await h.createApi();
});
afterAll(async () => {
  await h.stop();
  await clerk.stop();
});

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
const tempFile = () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyguard-hostile-'));
  dirs.push(dir);
  return join(dir, 'keys.sqlite');
};

const postText = (harness: Harness, operation: string, text: string) =>
  harness.raw(`/v2/${operation}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${harness.rootKey}`, 'content-type': 'application/json' },
    body: text,
  });
const clerkText = (method: string, path: string, text: string) =>
  fetch(`${clerk.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${clerk.secretKey}`, 'content-type': 'application/json' },
    body: text,
  }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as any,
  }));

const expectDepthError = (answer: { status: number; body: any }, location: string) => {
  expect(answer.status, JSON.stringify(answer.body).slice(0, 300)).toBe(400);
  expect(answer.body.error.errors).toEqual([
    expect.objectContaining({ location, message: expect.stringContaining(`${MAX_JSON_DEPTH} levels`) }),
  ]);
};

describe('deeply nested JSON is a 400 naming the field, never a 500', () => {
  it('keys.createKey and keys.updateKey with meta nested 5,000 and 4,100 levels', async () => {
    for (const levels of [5_000, 4_100, MAX_JSON_DEPTH + 1]) {
      expectDepthError(
        await postText(h, 'keys.createKey', `{"apiId":"${apiId}","meta":${nested(levels)}}`),
        'body.meta',
      );
    }
    const { keyId } = await h.createKey(apiId);
    expectDepthError(await postText(h, 'keys.updateKey', `{"keyId":"${keyId}","meta":${nested(5_000)}}`), 'body.meta');
    expect((await h.call('apis.listKeys', { apiId })).status).toBe(200);
  });

  it(`accepts exactly ${MAX_JSON_DEPTH} levels`, async () => {
    const answer = await postText(h, 'keys.createKey', `{"apiId":"${apiId}","meta":${nested(MAX_JSON_DEPTH)}}`);
    expect(answer.status).toBe(200);
    const listed = await h.call('apis.listKeys', { apiId });
    expect(listed.status).toBe(200);
    expect(JSON.stringify(listed.body.data.find((key: any) => key.keyId === answer.body.data.keyId).meta)).toBe(
      nested(MAX_JSON_DEPTH),
    );
  });

  it('deep values anywhere else in a body are refused too, by their top-level field', async () => {
    expectDepthError(
      await postText(h, 'keys.verifyKey', `{"key":"k","tags":${'['.repeat(5_000)}${']'.repeat(5_000)}}`),
      'body.tags',
    );
    expectDepthError(await postText(h, 'apis.createApi', `${'['.repeat(100)}${']'.repeat(100)}`), 'body[0]');
  });

  it('Clerk POST and PATCH /api_keys with claims nested 5,000 levels, in Clerk’s format', async () => {
    const create = await clerkText(
      'POST',
      '/api_keys',
      `{"name":"deep","subject":"user_deep","claims":${nested(5_000)}}`,
    );
    expect(expectClerkError(create, 400, 'form_param_format_invalid')[0].meta).toEqual({ param_name: 'claims' });
    const created = await clerk.create({ name: 'shallow', subject: 'user_deep' });
    const patch = await clerkText('PATCH', `/api_keys/${created.id}`, `{"claims":${nested(5_000)}}`);
    expect(expectClerkError(patch, 400, 'form_param_format_invalid')[0].meta).toEqual({ param_name: 'claims' });
    expect((await clerk.request('GET', '/api_keys?subject=user_deep')).status).toBe(200);
  });
});

describe('a bad stored row never breaks a read', () => {
  it('meta nested deeper than requests may send (an older server wrote it) reads as no meta; the list still answers', async () => {
    const database = tempFile();
    const first = await startHarness({ database, secret: 'hostile' });
    const api = await first.createApi('stored-rows');
    const bad = await first.createKey(api, { meta: { ok: true } });
    const good = await first.createKey(api, { meta: { plan: 'pro' } });
    await first.stop();
    const db = openSqlite(database);
    db.prepare('UPDATE keys SET meta = ? WHERE id = ?').run(nested(5_000), bad.keyId);
    db.close();

    const second = await startHarness({ database, secret: 'hostile', rootKey: first.rootKey });
    const listed = await second.call('apis.listKeys', { apiId: api });
    expect(listed.status).toBe(200);
    const byId = new Map(listed.body.data.map((key: any) => [key.keyId, key]));
    expect(byId.get(bad.keyId)).not.toHaveProperty('meta');
    expect(byId.get(good.keyId)).toMatchObject({ meta: { plan: 'pro' } });
    expect((await second.call('keys.getKey', { keyId: bad.keyId })).status).toBe(200);
    expect(await second.verify({ key: bad.key })).toMatchObject({ valid: true, keyId: bad.keyId });
    await second.stop();
  });

  it('Clerk claims likewise', async () => {
    const database = tempFile();
    const first = await startClerkHarness({ database, secret: 'hostile' });
    const bad = await first.create({ name: 'bad row', subject: 'user_rows', claims: { ok: true } });
    await first.stop();
    const db = openSqlite(database);
    db.prepare('UPDATE clerk_api_keys SET claims = ?, scopes = ? WHERE id = ?').run(nested(5_000), '{broken', bad.id);
    db.close();
    const second = await startClerkHarness({ database, secret: 'hostile', clerkSecretKey: first.secretKey });
    const listed = await second.request('GET', '/api_keys?subject=user_rows');
    expect(listed.status).toBe(200);
    expect(listed.body.data[0]).toMatchObject({ id: bad.id, claims: null, scopes: [] });
    await second.stop();
  });
});

describe('unpaired surrogates ("x\\ud800y") are a 400 with the field’s location, wherever strings are accepted', () => {
  const lone = 'x\ud800y';

  it('on /v2: names, meta values and keys, permissions, externalId, roles, verify input', async () => {
    const { keyId } = await h.createKey(apiId);
    const cases: [string, Record<string, unknown>, string][] = [
      ['keys.createKey', { apiId, name: lone }, 'body.name'],
      ['keys.createKey', { apiId, meta: { note: lone } }, 'body.meta.note'],
      ['keys.createKey', { apiId, meta: { list: ['fine', lone] } }, 'body.meta.list[1]'],
      ['keys.createKey', { apiId, meta: { [lone]: 1 } }, 'body.meta'],
      ['keys.createKey', { apiId, permissions: ['fine', lone] }, 'body.permissions[1]'],
      ['keys.createKey', { apiId, externalId: lone }, 'body.externalId'],
      ['keys.createKey', { apiId, prefix: 'x\udc00' }, 'body.prefix'],
      ['keys.updateKey', { keyId, name: lone }, 'body.name'],
      ['keys.updateKey', { keyId, externalId: lone }, 'body.externalId'],
      ['keys.verifyKey', { key: lone }, 'body.key'],
      ['apis.createApi', { name: lone }, 'body.name'],
      ['permissions.createPermission', { name: lone, slug: 'a.b' }, 'body.name'],
      ['permissions.createRole', { name: 'role-x', description: lone }, 'body.description'],
    ];
    for (const [operation, body, location] of cases) {
      const answer = await h.call(operation, body);
      expect(answer.status, `${operation} ${location}`).toBe(400);
      expect(answer.body.error.errors, `${operation} ${location}`).toEqual([
        expect.objectContaining({ location, message: expect.stringContaining('unpaired') }),
      ]);
    }
  });

  it('on Clerk routes: name, description, claims values and keys, scopes, subject, revocation reason', async () => {
    const created = await clerk.create({ name: 'surrogates', subject: 'user_sur' });
    const cases: [string, string, Record<string, unknown>, string][] = [
      ['POST', '/api_keys', { name: lone, subject: 'user_sur' }, 'name'],
      ['POST', '/api_keys', { name: 'fine name', subject: 'user_sur', description: lone }, 'description'],
      ['POST', '/api_keys', { name: 'fine name', subject: 'user_sur', claims: { a: lone } }, 'claims.a'],
      ['POST', '/api_keys', { name: 'fine name', subject: 'user_sur', claims: { [lone]: 1 } }, 'claims'],
      ['POST', '/api_keys', { name: 'fine name', subject: 'user_sur', scopes: [lone] }, 'scopes[0]'],
      ['PATCH', `/api_keys/${created.id}`, { description: lone }, 'description'],
      ['POST', `/api_keys/${created.id}/revoke`, { revocation_reason: lone }, 'revocation_reason'],
      ['POST', '/api_keys/verify', { secret: lone }, 'secret'],
    ];
    for (const [method, path, body, param] of cases) {
      const errors = expectClerkError(await clerk.request(method, path, body), 400, 'form_param_format_invalid');
      expect(errors[0].meta, `${method} ${path} ${param}`).toEqual({ param_name: param });
    }
    expect((await clerk.request('GET', `/api_keys/${created.id}`)).body.revoked).toBe(false);
  });

  it('well-formed text outside the BMP (a surrogate pair) is fine', async () => {
    const { keyId } = await h.createKey(apiId, { name: 'key 🔑', meta: { '🙂': 'ok 😀' } });
    expect((await h.call('keys.getKey', { keyId })).body.data).toMatchObject({
      name: 'key 🔑',
      meta: { '🙂': 'ok 😀' },
    });
  });

  it('a body that is not valid UTF-8 is refused, not read with U+FFFD in place', async () => {
    const bytes = Buffer.concat([
      Buffer.from(`{"apiId":"${apiId}","name":"x`),
      Buffer.from([0xed, 0xa0, 0x80]),
      Buffer.from('y"}'),
    ]);
    const answer = await h.raw('/v2/keys.createKey', {
      method: 'POST',
      headers: { authorization: `Bearer ${h.rootKey}`, 'content-type': 'application/json' },
      body: bytes,
    });
    expect(answer.status).toBe(400);
    expect(answer.body.error.errors).toEqual([
      expect.objectContaining({ location: 'body', message: 'is not valid UTF-8' }),
    ]);
  });
});
