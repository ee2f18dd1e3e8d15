import { Hono } from 'hono';
import type { MiddlewareHandler } from 'hono';
import { expectTypeOf, test } from 'vitest';
import type { Provider, VerifiedKey, Verifier } from '@keyguard/core';
import { keyguard, requirePermissions } from '@keyguard/hono';
import type { KeyguardEnv, KeyguardMiddleware } from '@keyguard/hono';

declare const auth: KeyguardMiddleware;
declare const provider: Provider;

test("c.get('apiKey') is typed through the middleware's Env, without declaring it on the app", () => {
  new Hono().get('/me', auth, (c) => {
    expectTypeOf(c.get('apiKey')).toEqualTypeOf<VerifiedKey | undefined>();
    expectTypeOf(c.var.apiKey).toEqualTypeOf<VerifiedKey | undefined>();
    return c.json({ id: c.get('apiKey')?.id });
  });
});

declare const verifier: Verifier;

test('a middleware that requires a key types it as VerifiedKey; optional or fail-open ones as possibly undefined', () => {
  new Hono().get('/me', keyguard({ verifier }), (c) => {
    expectTypeOf(c.get('apiKey')).toEqualTypeOf<VerifiedKey>();
    return c.json({ id: c.get('apiKey').id });
  });
  new Hono().get('/greeting', keyguard({ verifier, optional: true }), (c) => {
    expectTypeOf(c.get('apiKey')).toEqualTypeOf<VerifiedKey | undefined>();
    return c.text('hi');
  });
  new Hono().get('/lenient', keyguard({ provider, onProviderError: 'fail-open' }), (c) => {
    expectTypeOf(c.var.apiKey).toEqualTypeOf<VerifiedKey | undefined>();
    return c.text('hi');
  });
});

test('a ready verifier cannot be combined with verifier options, which it would ignore', () => {
  // @ts-expect-error: the cache belongs to the verifier, set it where the verifier is created
  keyguard({ verifier, cache: { freshMs: 1000 } });
  // @ts-expect-error: likewise the provider
  keyguard({ verifier, provider });
  keyguard({ verifier, realm: 'api', optional: true });
  keyguard({ provider, cache: { freshMs: 1000 }, realm: 'api' });
});

test('an app declared with KeyguardEnv types it everywhere', () => {
  new Hono<KeyguardEnv>().use('/api/*', auth).get('/api/me', requirePermissions('docs.read'), (c) => {
    expectTypeOf(c.get('apiKey')).toEqualTypeOf<VerifiedKey | undefined>();
    return c.text('ok');
  });
});

test('the middleware and guards are Hono middlewares over KeyguardEnv', () => {
  expectTypeOf(keyguard).returns.toExtend<MiddlewareHandler<KeyguardEnv>>();
  expectTypeOf(auth.requirePermissions('a')).toEqualTypeOf<MiddlewareHandler<KeyguardEnv>>();
  expectTypeOf(requirePermissions).returns.toEqualTypeOf<MiddlewareHandler<KeyguardEnv>>();
});
