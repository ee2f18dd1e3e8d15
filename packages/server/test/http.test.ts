/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers of the wire format, checked by assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postChunked, rawRequest, startHarness, type Harness } from './helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ maxBodyBytes: 4096 });
});
afterAll(() => h.stop());

const expectError = (answer: { status: number; body: any }, status: number, typeEnd?: string) => {
  expect(answer.status).toBe(status);
  expect(answer.body.meta.requestId).toMatch(/^req_/);
  expect(answer.body.error).toMatchObject({
    status,
    title: expect.any(String),
    detail: expect.any(String),
    type: expect.stringMatching(/^https:\/\/unkey\.com\/docs\/errors\//),
  });
  if (typeEnd) expect(answer.body.error.type.endsWith(typeEnd)).toBe(true);
  if (status === 400) expect(Array.isArray(answer.body.error.errors)).toBe(true);
  else expect(answer.body.error.errors).toBeUndefined();
};

describe('envelope', () => {
  it('GET /v2/liveness answers OK without auth', async () => {
    const answer = await h.raw('/v2/liveness', { method: 'GET' });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ meta: { requestId: expect.stringMatching(/^req_/) }, data: { message: 'OK' } });
  });

  it('gives every answer its own request id', async () => {
    const a = await h.raw('/v2/liveness', { method: 'GET' });
    const b = await h.call('apis.getApi', {}, null);
    expect(a.body.meta.requestId).not.toBe(b.body.meta.requestId);
    expect(b.headers.get('unkey-request-id')).toBe(b.body.meta.requestId);
  });

  it('answers application/problem+json when Accept asks for it', async () => {
    const answer = await h.raw('/v2/apis.getApi', {
      method: 'POST',
      headers: { accept: 'application/problem+json', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(answer.headers.get('content-type')).toBe('application/problem+json');
    expect(answer.status).toBe(400);
  });

  it('404 for an unknown operation, 405 for a wrong method', async () => {
    expectError(await h.call('apis.nope', {}), 404, 'route_not_found');
    const get = await h.raw('/v2/apis.getApi', { method: 'GET', headers: { authorization: `Bearer ${h.rootKey}` } });
    expectError(get, 405);
    expect(get.headers.get('allow')).toBe('POST');
    expectError(await h.raw('/v2/liveness', { method: 'POST' }), 405);
  });
});

describe('authorization', () => {
  it('400 when the Authorization header is missing or malformed', async () => {
    expectError(await h.call('apis.getApi', { apiId: 'api_123' }, null), 400, 'authentication/missing');
    for (const header of ['Basic abc', 'Bearer', 'Bearer two words', 'Bearer a,b', 'Token abc']) {
      const answer = await h.raw('/v2/apis.getApi', {
        method: 'POST',
        headers: { authorization: header, 'content-type': 'application/json' },
        body: '{"apiId":"api_123"}',
      });
      expectError(answer, 400, 'authentication/malformed');
    }
  });

  it('401 for an unknown root key, never echoing it', async () => {
    const answer = await h.call('apis.getApi', { apiId: 'api_123' }, 'kgroot_unknownunknownunknown');
    expectError(answer, 401, 'authentication/key_not_found');
    expect(JSON.stringify(answer.body)).not.toContain('unknownunknown');
  });

  it('400 when Authorization is sent twice, whichever comes first (Node keeps only the first in request.headers)', async () => {
    const apiId = await h.createApi();
    const unknown = 'kgroot_unknownunknownunknown';
    for (const pair of [
      [h.rootKey, unknown],
      [unknown, h.rootKey],
      [h.rootKey, h.rootKey],
    ]) {
      const answer = await rawRequest(h.url, {
        method: 'POST',
        path: '/v2/apis.getApi',
        headers: { authorization: pair.map((key) => `Bearer ${key}`), 'content-type': 'application/json' },
        body: JSON.stringify({ apiId }),
      });
      expectError(answer, 400, 'authentication/malformed');
      expect(answer.body.error.errors).toEqual([
        expect.objectContaining({ location: 'header.Authorization', message: 'must be sent once' }),
      ]);
      expect(JSON.stringify(answer.body)).not.toContain(h.rootKey);
      expect(JSON.stringify(answer.body)).not.toContain('unknownunknown');
    }
    const once = await rawRequest(h.url, {
      method: 'POST',
      path: '/v2/apis.getApi',
      headers: { authorization: [`Bearer ${h.rootKey}`], 'content-type': 'application/json' },
      body: JSON.stringify({ apiId }),
    });
    expect(once.status).toBe(200);
  });

  it('reads the bearer credential by RFC 6750 (core readKey): several spaces, and nothing over 512 characters', async () => {
    const apiId = await h.createApi();
    const spaced = await h.raw('/v2/apis.getApi', {
      method: 'POST',
      headers: { authorization: `Bearer    ${h.rootKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ apiId }),
    });
    expect(spaced.status).toBe(200);
    const long = await h.raw('/v2/apis.getApi', {
      method: 'POST',
      headers: { authorization: `Bearer ${'a'.repeat(513)}`, 'content-type': 'application/json' },
      body: JSON.stringify({ apiId }),
    });
    expectError(long, 400, 'authentication/malformed');
  });

  it('accepts the scheme case-insensitively', async () => {
    const apiId = await h.createApi();
    const answer = await h.raw('/v2/apis.getApi', {
      method: 'POST',
      headers: { authorization: `bearer ${h.rootKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ apiId }),
    });
    expect(answer.status).toBe(200);
  });
});

describe('bad input is a 400 in the envelope, never a 500', () => {
  const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    h.raw('/v2/apis.createApi', {
      method: 'POST',
      headers: { authorization: `Bearer ${h.rootKey}`, ...headers },
      body,
    });

  it('wrong content type', async () => {
    expectError(await post('{"name":"abc"}', { 'content-type': 'text/plain' }), 400, 'unsupported_content_type');
    expectError(await post('name=abc', { 'content-type': 'application/x-www-form-urlencoded' }), 400);
  });

  it('broken, empty or non-object JSON, without quoting the body', async () => {
    const broken = await post('{"name": "sk_secretish_value", ');
    expectError(broken, 400, 'request_body_unreadable');
    expect(JSON.stringify(broken.body)).not.toContain('secretish');
    expectError(await post(''), 400);
    expectError(await post('[]'), 400, 'invalid_input');
    expectError(await post('null'), 400);
    expectError(await post('"text"'), 400);
  });

  it('oversized bodies (400: Unkey documents no 413)', async () => {
    const answer = await post(JSON.stringify({ name: 'a'.repeat(10_000) }));
    expectError(answer, 400, 'request_body_too_large');
  });

  it('oversized chunked bodies without a Content-Length', async () => {
    const status = await postChunked(h.url, '/v2/apis.createApi', `Bearer ${h.rootKey}`, [
      '{"name":"',
      'x'.repeat(8000),
      '"}',
    ]);
    expect(status).toBe(400);
  });

  it('unknown fields, wrong types, missing fields, with a location per problem', async () => {
    const unknown = await post(JSON.stringify({ name: 'valid-name', extra: true }));
    expectError(unknown, 400, 'invalid_input');
    expect(unknown.body.error.errors).toEqual([
      expect.objectContaining({ location: 'body.extra', message: 'unknown field' }),
    ]);
    const wrongType = await post(JSON.stringify({ name: 42 }));
    expect(wrongType.body.error.errors[0]).toMatchObject({
      location: 'body.name',
      message: 'expected string, received number',
    });
    const missing = await post('{}');
    expect(missing.body.error.errors[0]).toMatchObject({
      location: 'body.name',
      message: 'is required',
      fix: expect.any(String),
    });
  });

  it('nested wrong types in keys.createKey', async () => {
    const apiId = await h.createApi();
    const answer = await h.call('keys.createKey', {
      apiId,
      ratelimits: [{ name: 'requests', limit: 'ten', duration: 10 }],
      credits: { remaining: -1 },
      meta: [],
    });
    expectError(answer, 400);
    expect(answer.body.error.errors.map((issue: { location: string }) => issue.location).sort()).toEqual(
      ['body.credits.remaining', 'body.meta', 'body.ratelimits[0].duration', 'body.ratelimits[0].limit'].sort(),
    );
  });

  it('a flood of garbage never crashes the server', async () => {
    const bodies = [
      '{',
      '}',
      '{"a":',
      '\u0000',
      '{"name":{"$gt":""}}',
      '{"name":["a"]}',
      '{"name":1e400}',
      '{"__proto__":{"x":1}}',
    ];
    const answers = await Promise.all(bodies.map((body) => post(body)));
    for (const answer of answers) expect(answer.status).toBe(400);
    expect((await h.raw('/v2/liveness', { method: 'GET' })).status).toBe(200);
  });
});
