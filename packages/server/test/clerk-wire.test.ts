/* eslint-disable @typescript-eslint/no-explicit-any -- JSON answers of the wire format, checked by assertions */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerSecret } from '../../../test/support/secrets.js';
import { expectClerkError, startClerkHarness, type ClerkHarness } from './clerk-helpers.js';

let h: ClerkHarness;
beforeAll(async () => {
  h = await startClerkHarness();
});
afterAll(() => h.stop());

/** `METHOD <url><path>` with the Clerk secret key; the raw response and its parsed body. */
async function call(
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = { authorization: `Bearer ${h.secretKey}` },
) {
  const response = await fetch(`${h.url}${path}`, {
    method,
    headers: body === undefined ? headers : { ...headers, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: any = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, contentType: response.headers.get('content-type'), body: parsed };
}

describe("both path forms of Clerk's official clients", () => {
  // Clerk's OpenAPI names the server https://api.clerk.com/v1 (generated SDKs call /v1/api_keys…); @clerk/backend
  // calls ${apiUrl}/api_keys… with no version segment.
  for (const prefix of ['/v1', '']) {
    it(`serves every operation at ${prefix || '(no prefix)'}/api_keys…`, async () => {
      const subject = `user_form${prefix.replace('/', '')}`;
      const created = await call('POST', `${prefix}/api_keys`, { name: 'path form', subject });
      expect(created.status).toBe(201);
      registerSecret(created.body.secret);
      const { id, secret } = created.body;
      const listed = await call('GET', `${prefix}/api_keys?subject=${subject}`);
      expect(listed.status).toBe(200);
      expect(listed.body.data.map((key: any) => key.id)).toEqual([id]);
      expect((await call('GET', `${prefix}/api_keys/${id}`)).body.id).toBe(id);
      expect((await call('PATCH', `${prefix}/api_keys/${id}`, { scopes: ['read'] })).body.scopes).toEqual(['read']);
      expect((await call('GET', `${prefix}/api_keys/${id}/secret`)).body).toEqual({ secret });
      expect((await call('POST', `${prefix}/api_keys/verify`, { secret })).body.id).toBe(id);
      expect((await call('POST', `${prefix}/api_keys/${id}/revoke`, { revocation_reason: 'done' })).body.revoked).toBe(
        true,
      );
      expect((await call('DELETE', `${prefix}/api_keys/${id}`)).body).toEqual({ id, object: 'api_key', deleted: true });
    });
  }

  it("other paths keep their own format: /v2 and unknown paths in Unkey's envelope, /v1 in Clerk's", async () => {
    for (const path of ['/v2/nope', '/api_keysx', '/', '/v1']) {
      const answer = await call('POST', path, {});
      expect(answer.status, path).toBe(404);
      expect(answer.body.error.type, path).toMatch(/route_not_found$/);
      expect(answer.body.meta.requestId).toMatch(/^req_/);
    }
    for (const path of ['/v1/users', '/v1/api_keys/ak_1/unknown', '/api_keys/ak_1/unknown']) {
      expectClerkError(await call('GET', path), 404, 'resource_not_found');
    }
  });
});

describe('Content-Type of every Clerk answer is exactly application/json', () => {
  // @clerk/backend parses a body as JSON only when the header equals "application/json".
  it('on success and on errors', async () => {
    const created = await call('POST', '/api_keys', { name: 'content type', subject: 'user_ct' });
    registerSecret(created.body.secret);
    const answers = [
      created,
      await call('GET', '/api_keys?subject=user_ct'),
      await call('GET', `/v1/api_keys/${created.body.id}`),
      await call('GET', '/api_keys/ak_ffffffffffffffffffffffffffffffff'),
      await call('GET', '/api_keys?subject=user_ct', undefined, {}),
      await call('POST', '/api_keys', { name: 1 }),
      await call('PUT', '/api_keys'),
      await call('GET', '/v1/users'),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([201, 200, 200, 404, 401, 400, 405, 404]);
    for (const answer of answers) expect(answer.contentType).toBe('application/json');
  });
});

describe('POST /api_keys answers 201 Created', () => {
  // Clerk's generated Python SDK (clerk-backend-api) accepts only 201 for createApiKey; @clerk/backend any 2xx.
  it('with the APIKey and its secret', async () => {
    const created = await call('POST', '/v1/api_keys', { name: 'created', subject: 'user_201' });
    expect(created.status).toBe(201);
    registerSecret(created.body.secret);
    expect(created.body).toMatchObject({ object: 'api_key', name: 'created', secret: expect.stringMatching(/^ak_/) });
  });
});
