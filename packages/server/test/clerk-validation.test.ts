/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers of the wire format, checked by assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectClerkError, startClerkHarness, type ClerkHarness } from './clerk-helpers.js';
import { postChunked } from './helpers.js';

let h: ClerkHarness;
beforeAll(async () => {
  h = await startClerkHarness({ maxBodyBytes: 4096 });
});
afterAll(() => h.stop());

const create = (fields: Record<string, unknown>) => h.request('POST', '/api_keys', fields);
const valid = { name: 'valid name', subject: 'user_valid' };

describe('create: field rules (400, one entry per problem, param_name in meta)', () => {
  it('name: required, 3..255 characters, no surrounding whitespace', async () => {
    const cases: [unknown, string][] = [
      [undefined, 'form_param_missing'],
      ['ab', 'form_param_format_invalid'],
      [' leading', 'form_param_format_invalid'],
      ['trailing ', 'form_param_format_invalid'],
      ['   ', 'form_param_format_invalid'],
      ['tab\t', 'form_param_format_invalid'],
      ['x'.repeat(256), 'form_param_format_invalid'],
      [42, 'form_param_format_invalid'],
    ];
    for (const [name, code] of cases) {
      const errors = expectClerkError(await create({ subject: 'user_1', name }), 400, code);
      expect(errors[0].meta, String(name)).toEqual({ param_name: 'name' });
    }
    expect((await create({ subject: 'user_1', name: 'abc' })).status).toBe(201);
    expect((await create({ subject: 'user_1', name: 'inner  spaces ok' })).status).toBe(201);
  });

  it('subject: required, user_…, org_… or mch_…', async () => {
    for (const subject of [undefined, '', 'user_', 'usr_1', 'sess_1', 'user 1', 'USER_1', 7]) {
      const errors = expectClerkError(await create({ name: 'subject case', subject }), 400);
      expect(errors[0].meta).toEqual({ param_name: 'subject' });
    }
    for (const subject of ['user_2abcXYZ', 'org_1', 'mch_a-b_c'])
      expect((await create({ name: `subject ${subject}`, subject })).status).toBe(201);
  });

  it('seconds_until_expiration: > 0 or null; type: api_key; scopes: strings without spaces; created_by: user_…', async () => {
    const bad: Record<string, unknown>[] = [
      { seconds_until_expiration: 0 },
      { seconds_until_expiration: -5 },
      { seconds_until_expiration: '60' },
      { seconds_until_expiration: 1e12 },
      { type: 'machine_token' },
      { scopes: 'read' },
      { scopes: ['has space'] },
      { scopes: [''] },
      { scopes: [1] },
      { created_by: 'org_1' },
      { description: 'x'.repeat(256) },
      { description: 5 },
    ];
    for (const fields of bad) expect((await create({ ...valid, ...fields })).status, JSON.stringify(fields)).toBe(400);
    const fine = await create({
      name: 'nullables',
      subject: 'user_valid',
      seconds_until_expiration: null,
      description: null,
      claims: null,
      created_by: null,
      type: 'api_key',
    });
    expect(fine.status).toBe(201);
  });

  it('unknown fields are 400 form_param_unknown; several problems give several entries', async () => {
    const errors = expectClerkError(await create({ ...valid, name: 'ok name', extra: 1 }), 400, 'form_param_unknown');
    expect(errors[0].meta).toEqual({ param_name: 'extra' });
    const many = expectClerkError(await create({ name: 'a', subject: 'nobody', scopes: [' '] }), 400);
    expect(many.map((error) => error.meta.param_name).sort()).toEqual(['name', 'scopes[0]', 'subject']);
  });

  it('claims bigger than 64 KiB are refused', async () => {
    const roomy = await startClerkHarness();
    const answer = await roomy.request('POST', '/api_keys', { ...valid, claims: { blob: 'x'.repeat(70_000) } });
    expectClerkError(answer, 400);
    await roomy.stop();
  });
});

describe('duplicate names (409)', () => {
  it('are refused among a subject’s valid keys; other subjects, revoked and expired keys do not count', async () => {
    const first = await h.create({ name: 'production', subject: 'user_dup' });
    const errors = expectClerkError(await create({ name: 'production', subject: 'user_dup' }), 409, 'duplicate_record');
    expect(errors[0].meta).toEqual({ param_name: 'name' });
    expect((await create({ name: 'production', subject: 'org_dup' })).status).toBe(201);
    await h.request('POST', `/api_keys/${first.id}/revoke`, {});
    const second = await h.create({ name: 'production', subject: 'user_dup' });
    expect(second.id).not.toBe(first.id);
    const short = await h.create({ name: 'short lived', subject: 'user_dup', seconds_until_expiration: 1 });
    h.advance(1000);
    expect((await create({ name: 'short lived', subject: 'user_dup' })).status).toBe(201);
    // Bringing the expired key back to life, or moving a key onto a subject with that name, would clash.
    expectClerkError(await h.request('PATCH', `/api_keys/${short.id}`, { seconds_until_expiration: null }), 409);
    expectClerkError(await h.request('PATCH', `/api_keys/${second.id}`, { subject: 'org_dup' }), 409);
    expect((await h.request('PATCH', `/api_keys/${second.id}`, { subject: 'user_dup', scopes: ['x'] })).status).toBe(
      200,
    );
  });
});

describe('list: query parameters', () => {
  it('subject is required; limit 1..100; offset ≥ 0; include_invalid true|false; unknown or repeated parameters', async () => {
    const bad = [
      '',
      '?subject=',
      '?subject=bob',
      '?subject=user_1&limit=0',
      '?subject=user_1&limit=101',
      '?subject=user_1&limit=ten',
      '?subject=user_1&limit=1.5',
      '?subject=user_1&limit=10.5',
      '?subject=user_1&offset=0.5',
      '?subject=user_1&limit=1e1',
      '?subject=user_1&limit=10.',
      '?subject=user_1&limit=.0',
      '?subject=user_1&limit=',
      '?subject=user_1&offset=-1',
      '?subject=user_1&include_invalid=yes',
      '?subject=user_1&include_invalid=TRUE',
      '?subject=user_1&type=other',
      '?subject=user_1&unknown=1',
      '?subject=user_1&subject=user_2',
      '?subject=user_1&__proto__=1',
    ];
    for (const query of bad) {
      const errors = expectClerkError(await h.request('GET', `/api_keys${query}`), 400);
      expect(errors[0].meta?.param_name, query).toBeDefined();
    }
    expect(expectClerkError(await h.request('GET', '/api_keys'), 400, 'form_param_missing')[0].meta).toEqual({
      param_name: 'subject',
    });
    // Clerk's spec types limit and offset as numbers and its Python SDK sends floats (limit=10.0&offset=0.0).
    const good = [
      '?subject=user_1&limit=1',
      '?subject=user_1&limit=100',
      '?subject=user_1&offset=0',
      '?subject=user_1&include_invalid=false',
      '?subject=user_1&query=',
    ];
    for (const query of [...good, '?subject=user_1&limit=10.0&offset=0.0', '?subject=user_1&limit=100.00&offset=3.0']) {
      expect((await h.request('GET', `/api_keys${query}`)).status, query).toBe(200);
    }
  });

  it('operations without query parameters refuse them too', async () => {
    expectClerkError(
      await h.request('GET', '/api_keys/ak_ffffffffffffffffffffffffffffffff?expand=1'),
      400,
      'form_param_unknown',
    );
  });
});

describe('bodies: bad JSON, wrong types, sizes, content types are 400, never 500', () => {
  const post = (path: string, body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
    fetch(`${h.baseUrl}${path}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${h.secretKey}`, ...headers },
      body,
    }).then(async (response) => ({
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as any,
    }));

  it('broken, empty or non-object JSON, without quoting the body', async () => {
    const broken = await post('/api_keys/verify', '{"secret": "ak_almostSecretValue", ');
    expectClerkError(broken, 400, 'malformed_request_body');
    expect(JSON.stringify(broken.body)).not.toContain('almostSecret');
    for (const body of [
      '',
      '[]',
      'null',
      '"text"',
      '1',
      '{"secret": {"$gt": ""}}',
      '{"secret": ["a"]}',
      '{"__proto__": {"x": 1}}',
      '{"secret": 1e400}',
    ]) {
      expectClerkError(await post('/api_keys/verify', body), 400);
    }
  });

  it('wrong content type; bodies over maxBodyBytes, with or without a Content-Length', async () => {
    expectClerkError(
      await post('/api_keys', JSON.stringify(valid), { 'content-type': 'text/plain' }),
      400,
      'unsupported_content_type',
    );
    expectClerkError(
      await post('/api_keys', JSON.stringify({ ...valid, description: 'x'.repeat(10_000) })),
      400,
      'request_body_too_large',
    );
    const status = await postChunked(h.url, '/v1/api_keys', `Bearer ${h.secretKey}`, [
      '{"name":"',
      'x'.repeat(8000),
      '"}',
    ]);
    expect(status).toBe(400);
  });

  it('create and verify need a body; update and revoke may go without', async () => {
    expectClerkError(await h.request('POST', '/api_keys'), 400);
    expectClerkError(await h.request('POST', '/api_keys/verify'), 400);
    expectClerkError(await h.request('POST', '/api_keys/verify', {}), 400, 'form_param_missing');
  });

  it('a flood of garbage never crashes the server', async () => {
    const bodies = ['{', '}', '{"a":', '\u0000', '{"name":{"$gt":""}}', '{"scopes":"x"}', '{"claims":'];
    const answers = await Promise.all(bodies.map((body) => post('/api_keys', body)));
    for (const answer of answers) expect(answer.status).toBe(400);
    expect((await h.request('GET', '/api_keys?subject=user_1')).status).toBe(200);
  });
});

describe('routes', () => {
  it('404 for unknown paths under /v1, 405 with Allow for a wrong method', async () => {
    expectClerkError(await h.request('GET', '/users'), 404, 'resource_not_found');
    expectClerkError(
      await h.request('GET', '/api_keys/ak_ffffffffffffffffffffffffffffffff/revoke'),
      405,
      'method_not_allowed',
    );
    const wrong = await h.request('PUT', '/api_keys');
    expectClerkError(wrong, 405);
    expect(wrong.headers.get('allow')).toBe('POST, GET');
    expect((await h.request('POST', '/api_keys/ak_ffffffffffffffffffffffffffffffff', {})).headers.get('allow')).toBe(
      'GET, PATCH, DELETE',
    );
    // GET /api_keys/verify is a get of the key "verify": there is none.
    expectClerkError(await h.request('GET', '/api_keys/verify'), 404);
  });

  it('answers JSON that is never cached', async () => {
    const answer = await h.request('GET', '/api_keys?subject=user_1');
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.headers.get('cache-control')).toBe('no-store');
  });
});
