import Fastify from 'fastify';
import type { FastifyContextConfig, FastifyInstance, FastifyRequest } from 'fastify';
import { expectTypeOf, test } from 'vitest';
import type { RequestGuard, VerifiedKey, Verifier } from '@keyguard/core';

declare const verifier: Verifier;
import { keyguard, requirePermissions } from '@keyguard/fastify';
import type { KeyguardRouteOptions, PermissionGuard } from '@keyguard/fastify';

test('request.apiKey, the instance decorators and route config are typed', () => {
  expectTypeOf<FastifyRequest['apiKey']>().toEqualTypeOf<VerifiedKey | undefined>();
  expectTypeOf<FastifyInstance['keyguard']>().toEqualTypeOf<RequestGuard>();
  expectTypeOf<FastifyInstance['requirePermissions']>().returns.toEqualTypeOf<PermissionGuard>();
  expectTypeOf<FastifyContextConfig['keyguard']>().toEqualTypeOf<KeyguardRouteOptions | undefined>();
});

test('guards fit onRequest and preHandler of typed routes', async () => {
  const app = Fastify();
  await app.register(keyguard, { verifier, realm: 'api' });
  app.post<{ Body: { title: string } }>(
    '/documents',
    {
      onRequest: app.requirePermissions('docs.write'),
      preHandler: requirePermissions('docs.write'),
      config: { keyguard: { optional: false } },
    },
    async (request) => {
      expectTypeOf(request.apiKey).toEqualTypeOf<VerifiedKey | undefined>();
      expectTypeOf(request.body.title).toBeString();
      return { id: request.apiKey?.id };
    },
  );
  // @ts-expect-error permissions is a query string
  app.get('/x', { config: { keyguard: { permissions: ['docs.read'] } } }, async () => ({}));
});
