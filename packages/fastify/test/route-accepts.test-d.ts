import Fastify from 'fastify';
import { expectTypeOf, test } from 'vitest';
import type { KeyKind } from '@keyguard/core';
import type { KeyguardRouteOptions } from '@keyguard/fastify';

test("a route's accepts takes credential kinds as a list", () => {
  expectTypeOf<KeyguardRouteOptions['accepts']>().toEqualTypeOf<readonly KeyKind[] | undefined>();
  const app = Fastify();
  app.get('/machines', { config: { keyguard: { accepts: ['m2m_token'], permissions: 'jobs.run' } } }, async () => ({}));
  const kinds = ['api_key', 'oauth_token'] as const;
  app.get('/people', { config: { keyguard: { accepts: kinds } } }, async () => ({}));
  // @ts-expect-error accepts is a list, not one kind
  app.get('/x', { config: { keyguard: { accepts: 'm2m_token' } } }, async () => ({}));
  // @ts-expect-error kinds are strings
  app.get('/y', { config: { keyguard: { accepts: [1] } } }, async () => ({}));
});
