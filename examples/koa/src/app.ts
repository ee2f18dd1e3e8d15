import Router from '@koa/router';
import Koa from 'koa';
import type { Context } from 'koa';
import type { Verifier } from '@keyguard/core';
import { keyguard, requirePermissions } from '@keyguard/koa';
import type { KeyguardState } from '@keyguard/koa';

interface Document {
  id: number;
  title: string;
}

const BODY_LIMIT = 16 * 1024;

/** Reads a small JSON body (a body parser such as @koa/bodyparser does the same, after keyguard). */
async function readJson(ctx: Context): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of ctx.req) {
    size += (chunk as Buffer).length;
    if (size > BODY_LIMIT) ctx.throw(413);
    chunks.push(chunk as Buffer);
  }
  try {
    const value: unknown = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** A small documents API: a public route, an optional-auth route, authenticated routes and guarded ones. */
export function createApp(verifier: Verifier): Koa<KeyguardState> {
  const app = new Koa<KeyguardState>();
  const router = new Router<KeyguardState>();
  const documents: Document[] = [{ id: 1, title: 'Getting started' }];
  const authenticated = keyguard({ verifier });
  const anonymousAllowed = keyguard({ verifier, optional: true });

  router.get('/health', (ctx) => {
    ctx.body = { ok: true };
  });

  router.get('/greeting', anonymousAllowed, (ctx) => {
    ctx.body = { message: `hello ${ctx.state.apiKey?.name ?? 'anonymous'}` };
  });

  router.get('/me', authenticated, (ctx) => {
    const { id, name, permissions, roles, identity, credits, ratelimits } = ctx.state.apiKey!;
    ctx.body = { id, name, permissions, roles, identity, credits, ratelimits };
  });

  router.get('/documents', authenticated, requirePermissions('documents.read'), (ctx) => {
    ctx.body = { documents };
  });

  // The key is checked before the body is read: an unauthenticated request costs no JSON parse.
  router.post('/documents', authenticated, requirePermissions('documents.write'), async (ctx) => {
    const body = await readJson(ctx);
    const document = { id: documents.length + 1, title: typeof body.title === 'string' ? body.title : 'untitled' };
    documents.push(document);
    ctx.status = 201;
    ctx.body = document;
  });

  router.delete(
    '/documents/:id',
    authenticated,
    requirePermissions('admin OR (documents.write AND documents.delete)'),
    (ctx) => {
      const index = documents.findIndex((document) => document.id === Number(ctx.params.id));
      if (index >= 0) documents.splice(index, 1);
      ctx.status = 204;
    },
  );

  app.use(router.routes()).use(router.allowedMethods());
  return app;
}
