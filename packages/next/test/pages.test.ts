import { createServer } from 'node:http';
import type { Server } from 'node:http';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { apiKeyFromHeaders, signApiKey, withApiKeyPages } from '@keyguard/next';
import type { NextApiRequest, NextApiResponse } from 'next';
// Next.js's own Pages API runner: gives handlers the real NextApiRequest / NextApiResponse (query, body, res.json).
import { apiResolver } from 'next/dist/server/api-utils/node/api-resolver.js';
import { useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { getFrom } from '../../../test/support/http-get.js';
import { registerSecret } from '../../../test/support/secrets.js';

const READER = 'sk_pages_reader_1';
const WRITER = 'sk_pages_writer_2';
const SECRET = 'pages-forward-secret-0123456789abcdef01';
registerSecret(SECRET);

const { fake, verifier } = await useFakeUnkeyService({
  [READER]: { keyId: 'key_reader', permissions: ['docs.read'] },
  [WRITER]: {
    keyId: 'key_writer',
    permissions: ['docs.read', 'docs.write'],
    ratelimit: { name: 'requests', limit: 10, duration: 60_000 },
  },
});

type ApiHandler = (req: NextApiRequest, res: NextApiResponse) => unknown;
const preview = {
  previewModeId: 'id',
  previewModeEncryptionKey: 'encryption',
  previewModeSigningKey: 'signing',
  dev: false,
};
const serve = (handler: ApiHandler): Server =>
  createServer(
    (req, res) =>
      void apiResolver(
        req,
        res,
        Object.fromEntries(new URL(req.url ?? '/', 'http://x').searchParams),
        { default: handler },
        preview,
        true,
      ),
  );

describe('withApiKeyPages (Pages Router API routes)', () => {
  const documents = withApiKeyPages(
    (req, res) => res.status(200).json({ id: req.apiKey.id, query: req.query }),
    () => ({ verifier }),
  );

  it('answers 401 with a challenge and a problem body without a key', async () => {
    const response = await request(serve(documents)).get('/api/documents').expect(401);
    expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(response.text)).toMatchObject({ status: 401, code: 'MISSING_KEY' });
  });

  it('sets req.apiKey and keeps Next.js helpers (query, res.json)', async () => {
    await request(serve(documents))
      .get('/api/documents?page=2')
      .set('Authorization', `Bearer ${READER}`)
      .expect(200, { id: 'key_reader', query: { page: '2' } });
    await request(serve(documents))
      .get('/api/documents')
      .set('x-api-key', READER)
      .expect(200, { id: 'key_reader', query: {} });
  });

  it('answers 400 for doubled credentials and 401 invalid_token for an unknown key', async () => {
    await request(serve(documents))
      .get('/api/documents')
      .set('Authorization', `Bearer ${READER}`)
      .set('x-api-key', READER)
      .expect(400);
    const unknown = await request(serve(documents))
      .get('/api/documents')
      .set('x-api-key', 'sk_pages_unknown_9')
      .expect(401);
    expect(unknown.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
    expect(unknown.text).not.toContain('sk_pages_unknown_9');
  });

  it('answers 400 invalid_request for a credential header sent twice, whichever line holds the valid key', async () => {
    const callsBefore = fake.totalCalls;
    for (const headers of [
      { authorization: [`Bearer ${READER}`, 'Bearer sk_pages_unknown_9'] },
      { authorization: ['Bearer sk_pages_unknown_9', `Bearer ${READER}`] },
      { 'x-api-key': [READER, READER] },
    ]) {
      const response = await getFrom(serve(documents), '/api/documents', headers);
      expect(response.status).toBe(400);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_request"');
      expect(JSON.parse(response.text)).toMatchObject({ code: 'AMBIGUOUS_KEY' });
    }
    expect(fake.totalCalls).toBe(callsBefore);
  });

  it('guards by permission before the body is used, and adds rate-limit headers to allowed answers', async () => {
    const write = withApiKeyPages(
      (req, res) => res.status(201).json(req.body),
      () => ({ verifier, permissions: 'docs.write' }),
    );
    const denied = await request(serve(write))
      .post('/api/documents')
      .set('x-api-key', READER)
      .send({ title: 'a' })
      .expect(403);
    expect(denied.headers['www-authenticate']).toMatch(/error="insufficient_scope"/);
    const created = await request(serve(write))
      .post('/api/documents')
      .set('x-api-key', WRITER)
      .send({ title: 'a' })
      .expect(201, { title: 'a' });
    expect(created.headers['ratelimit-remaining']).toBe('9');
  });

  it('serves optional routes with and without a key', async () => {
    const optional = withApiKeyPages(
      (req, res) => res.json({ id: req.apiKey?.id ?? null }),
      () => ({ verifier, optional: true }),
    );
    await request(serve(optional)).get('/api/o').expect(200, { id: null });
    await request(serve(optional)).get('/api/o').set('x-api-key', READER).expect(200, { id: 'key_reader' });
  });

  it('answers 503 when the provider is down and the key is not cached', async () => {
    fake.fault = { kind: 'status', status: 503 };
    const response = await request(serve(documents))
      .get('/api/documents')
      .set('x-api-key', 'sk_pages_uncached_7')
      .expect(503);
    expect(response.headers['retry-after']).toBe('1');
  });

  it('reads an identity forwarded by the middleware from req.headers', async () => {
    const forwarded: ApiHandler = async (req, res) => {
      const apiKey = await apiKeyFromHeaders(req.headers, { secret: SECRET });
      res.status(apiKey ? 200 : 401).json({ id: apiKey?.id ?? null });
    };
    const value = await signApiKey(
      { id: 'key_fw', provider: 'unkey', permissions: [], roles: [], meta: {}, enabled: true },
      { secret: SECRET },
    );
    await request(serve(forwarded)).get('/api/fw').set('x-keyguard-api-key', value).expect(200, { id: 'key_fw' });
    const at = value.length - 10; // inside the signature, where every bit counts
    const tampered = `${value.slice(0, at)}${value[at] === 'A' ? 'B' : 'A'}${value.slice(at + 1)}`;
    await request(serve(forwarded)).get('/api/fw').set('x-keyguard-api-key', tampered).expect(401, { id: null });
  });
});
