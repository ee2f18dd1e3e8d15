import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Verifier } from '@keyguard/core';
import { keyguard, requirePermissions } from '@keyguard/hono';
import type { KeyguardEnv } from '@keyguard/hono';

interface Document {
  id: number;
  title: string;
}

/** A small documents API: a public route, an optional-auth route, authenticated routes and guarded ones. */
export function createApp(verifier: Verifier): Hono<KeyguardEnv> {
  const app = new Hono<KeyguardEnv>();
  const documents: Document[] = [{ id: 1, title: 'Getting started' }];
  const authenticated = keyguard({ verifier });
  const anonymousAllowed = keyguard({ verifier, optional: true });

  app.get('/health', (c) => c.json({ ok: true }));

  app.get('/greeting', anonymousAllowed, (c) => c.json({ message: `hello ${c.get('apiKey')?.name ?? 'anonymous'}` }));

  app.get('/me', authenticated, (c) => {
    const { id, name, permissions, roles, identity, credits, ratelimits } = c.get('apiKey')!;
    return c.json({ id, name, permissions, roles, identity, credits, ratelimits });
  });

  app.get('/documents', authenticated, requirePermissions('documents.read'), (c) => c.json({ documents }));

  // The key is checked before the body is read: an unauthenticated request costs no JSON parse.
  app.post(
    '/documents',
    authenticated,
    requirePermissions('documents.write'),
    bodyLimit({ maxSize: 16 * 1024 }),
    async (c) => {
      const body = await c.req.json<{ title?: unknown }>().catch(() => ({}) as { title?: unknown });
      const document = { id: documents.length + 1, title: typeof body.title === 'string' ? body.title : 'untitled' };
      documents.push(document);
      return c.json(document, 201);
    },
  );

  app.delete(
    '/documents/:id',
    authenticated,
    requirePermissions('admin OR (documents.write AND documents.delete)'),
    (c) => {
      const index = documents.findIndex((document) => document.id === Number(c.req.param('id')));
      if (index >= 0) documents.splice(index, 1);
      return c.body(null, 204);
    },
  );

  return app;
}
