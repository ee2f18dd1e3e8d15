import type { ErrorRequestHandler } from 'express';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { PermissionQuerySyntaxError } from '@keyguard/core';
import type { AdapterOptions } from '@keyguard/core';
import { keyguard, requirePermissions } from '@keyguard/express';
import { STANDARD_KEYS, useFakeUnkeyService } from '../../../test/support/adapter-test-service.js';
import { getFrom } from '../../../test/support/http-get.js';
import { EXPRESS_MAJORS } from './support/majors.js';

const READER = 'sk_express_reader_1';
const WRITER = 'sk_express_writer_2';
const LIMITED = 'sk_express_limited_3';

// One key service and verifier per major: the rate-limited key's window and the verifier's cache are not shared.
const services = await Promise.all(
  EXPRESS_MAJORS.map(() =>
    useFakeUnkeyService({
      [READER]: STANDARD_KEYS.reader,
      [WRITER]: STANDARD_KEYS.writer,
      [LIMITED]: STANDARD_KEYS.limited,
    }),
  ),
);

/** Errors passed to next(err) or thrown in a handler, answered as Express apps do: a 500 naming the message. */
const errorHandler: ErrorRequestHandler = (error: Error, _req, res, _next) => {
  res.status(500).json({ caught: error.message });
};

describe.each(EXPRESS_MAJORS.map((major, index) => ({ ...major, ...services[index]! })))(
  'keyguard() for $name',
  ({ name, express, version, fake, verifier }) => {
    function buildApp(options: AdapterOptions = {}) {
      const app = express();
      const auth = keyguard({ verifier, ...options });
      app.get('/public', (_req, res) => void res.json({ ok: true }));
      app.get('/private', auth, (req, res) => void res.json({ id: req.apiKey?.id }));
      app.get(
        '/optional',
        keyguard({ verifier, optional: true }),
        (req, res) => void res.json({ id: req.apiKey?.id ?? null }),
      );
      app.post(
        '/write',
        auth,
        requirePermissions('docs.write'),
        express.json(),
        (req, res) => void res.status(201).json(req.body),
      );
      app.get(
        '/scoped',
        auth,
        auth.requirePermissions('docs.read AND (docs.write OR admin)'),
        (_req, res) => void res.json({ ok: true }),
      );
      app.get('/throws', auth, () => {
        throw new Error('route failed');
      });
      app.use(errorHandler);
      return app;
    }

    it('runs on the major it names', () => {
      expect(`Express ${version.split('.')[0]}`).toBe(name);
    });

    it("hands errors to Express's error handler, on the cached and the network path", async () => {
      const throwing = buildApp({
        onDenied: () => {
          throw new Error('onDenied failed');
        },
      });
      // No key: the denial is known without a network call, so the middleware throws synchronously.
      await request(throwing).get('/private').expect(500, { caught: 'onDenied failed' });
      // An unknown key is asked of the key service: the rejection must reach next(err), not go unhandled.
      await request(throwing)
        .get('/private')
        .set('x-api-key', 'sk_express_unknown_async_8')
        .expect(500, { caught: 'onDenied failed' });
      // A route that throws after the verification: next() runs inside a promise callback on the network path,
      // and again synchronously once the key is cached; Express must catch the throw either way.
      fake.add('sk_express_throws_reader_6', { keyId: 'key_throws_reader', permissions: [] });
      for (const path of ['network', 'cache']) {
        const response = await request(buildApp()).get('/throws').set('x-api-key', 'sk_express_throws_reader_6');
        expect([path, response.status, response.body]).toEqual([path, 500, { caught: 'route failed' }]);
      }
    });

    it('leaves public routes alone', async () => {
      await request(buildApp()).get('/public').expect(200, { ok: true });
    });

    it('answers 401 with a Bearer challenge and a problem body when no key is sent', async () => {
      const response = await request(buildApp()).get('/private').expect(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
      expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(response.body).toMatchObject({
        status: 401,
        code: 'MISSING_KEY',
        type: expect.stringMatching(/^urn:keyguard:problem:/),
      });
    });

    it('sets req.apiKey from a bearer token or x-api-key', async () => {
      await request(buildApp())
        .get('/private')
        .set('Authorization', `Bearer ${READER}`)
        .expect(200, { id: 'key_reader' });
      await request(buildApp())
        .get('/private')
        .set('authorization', `bEaReR ${READER}`)
        .expect(200, { id: 'key_reader' });
      await request(buildApp()).get('/private').set('x-api-key', READER).expect(200, { id: 'key_reader' });
    });

    it('answers 400 invalid_request for malformed or doubled credentials', async () => {
      const malformed = await request(buildApp())
        .get('/private')
        .set('Authorization', 'Bearer not a token')
        .expect(400);
      expect(malformed.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_request"');
      await request(buildApp())
        .get('/private')
        .set('Authorization', `Bearer ${READER}`)
        .set('x-api-key', READER)
        .expect(400);
    });

    it('answers 400 invalid_request for a credential header sent twice, whichever line holds the valid key', async () => {
      const callsBefore = fake.totalCalls;
      for (const headers of [
        { authorization: [`Bearer ${READER}`, 'Bearer sk_express_unknown_9'] },
        { authorization: ['Bearer sk_express_unknown_9', `Bearer ${READER}`] },
        { 'x-api-key': [READER, READER] },
      ]) {
        const response = await getFrom(buildApp(), '/private', headers);
        expect(response.status).toBe(400);
        expect(response.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_request"');
        expect(JSON.parse(response.text)).toMatchObject({ code: 'AMBIGUOUS_KEY' });
      }
      expect(fake.totalCalls).toBe(callsBefore);
    });

    it('answers 401 naming the Bearer scheme for a key sent without it or another scheme', async () => {
      for (const authorization of [READER, 'Basic dXNlcjpwYXNz']) {
        const response = await request(buildApp()).get('/private').set('Authorization', authorization).expect(401);
        expect(response.headers['www-authenticate']).toBe('Bearer realm="api"');
        expect(response.body).toMatchObject({
          code: 'MISSING_KEY',
          detail: expect.stringContaining('Authorization: Bearer <key>'),
        });
      }
    });

    it('answers 401 invalid_token for an unknown key, without echoing it', async () => {
      const response = await request(buildApp())
        .get('/private')
        .set('Authorization', 'Bearer sk_express_unknown_9')
        .expect(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="api", error="invalid_token"');
      expect(response.text).not.toContain('sk_express_unknown_9');
    });

    it('serves optional routes with and without a key, but not with a bad one', async () => {
      await request(buildApp()).get('/optional').expect(200, { id: null });
      await request(buildApp()).get('/optional').set('x-api-key', READER).expect(200, { id: 'key_reader' });
      await request(buildApp()).get('/optional').set('x-api-key', 'sk_express_unknown_9').expect(401);
    });

    it('guards by permission: 403 insufficient_scope before the body is parsed', async () => {
      const denied = await request(buildApp())
        .post('/write')
        .set('x-api-key', READER)
        .set('content-type', 'application/json')
        .send('{broken json')
        .expect(403);
      expect(denied.headers['www-authenticate']).toMatch(/^Bearer realm="api", error="insufficient_scope"/);
      expect(denied.body).toMatchObject({ status: 403, code: 'INSUFFICIENT_PERMISSIONS' });
      await request(buildApp())
        .post('/write')
        .set('x-api-key', WRITER)
        .send({ title: 'a' })
        .expect(201, { title: 'a' });
      await request(buildApp()).get('/scoped').set('x-api-key', READER).expect(403);
      await request(buildApp()).get('/scoped').set('x-api-key', WRITER).expect(200);
    });

    it('throws when a guard is created with a bad query', () => {
      expect(() => requirePermissions('docs.read AND')).toThrow(PermissionQuerySyntaxError);
    });

    it('answers 429 with Retry-After and RateLimit headers for a rate-limited key', async () => {
      const ok = await request(buildApp()).get('/private').set('x-api-key', LIMITED).expect(200);
      expect(ok.headers['ratelimit-limit']).toBe('1');
      expect(ok.headers['ratelimit-remaining']).toBe('0');
      const limited = await request(buildApp()).get('/private').set('x-api-key', LIMITED).expect(429);
      // The key's one-minute window started with the first request: come back when it resets, not before.
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(50);
      expect(Number(limited.headers['retry-after'])).toBeLessThanOrEqual(60);
      expect(limited.headers['retry-after']).toBe(limited.headers['ratelimit-reset']);
      expect(limited.headers['ratelimit-remaining']).toBe('0');
      expect(limited.body).toMatchObject({ status: 429, code: 'RATE_LIMITED' });
    });

    it('answers 429 without Retry-After for a key out of credits: no refill time is known', async () => {
      fake.add('sk_express_exhausted_5', { keyId: 'key_exhausted', credits: 0 });
      const response = await request(buildApp()).get('/private').set('x-api-key', 'sk_express_exhausted_5').expect(429);
      expect(response.body).toMatchObject({ status: 429, code: 'USAGE_EXCEEDED' });
      expect(response.headers['retry-after']).toBeUndefined();
      expect(response.headers['ratelimit-reset']).toBeUndefined();
    });

    it('answers 503 with Retry-After when the provider is down and the key is not cached', async () => {
      fake.fault = { kind: 'status', status: 500 };
      const response = await request(buildApp()).get('/private').set('x-api-key', 'sk_express_uncached_7').expect(503);
      expect(response.headers['retry-after']).toBe('1');
      expect(response.body).toMatchObject({ status: 503, code: 'PROVIDER_UNAVAILABLE' });
    });

    it('lets onDenied reshape a denial and realm name the challenge', async () => {
      const app = buildApp({
        realm: 'docs',
        onDenied: (denial) => ({ ...denial, body: { ...denial.body, hint: 'see /docs/auth' } }),
      });
      const response = await request(app).get('/private').expect(401);
      expect(response.headers['www-authenticate']).toBe('Bearer realm="docs"');
      expect(response.body.hint).toBe('see /docs/auth');
    });
  },
);
