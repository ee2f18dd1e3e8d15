import Fastify from 'fastify';
import type { FastifyInstance } from 'fastify';
import type { Verifier } from '@keyguard/core';
import { keyguard } from '@keyguard/fastify';

interface Document {
  id: number;
  title: string;
}

/** A small documents API: a public route, an optional-auth route, authenticated routes and guarded ones. */
export async function createApp(verifier: Verifier): Promise<FastifyInstance> {
  const app = Fastify({ logger: true, bodyLimit: 16 * 1024 });
  const documents: Document[] = [{ id: 1, title: 'Getting started' }];

  // Outside the scope keyguard is registered in: never asks for a key.
  app.get('/health', async () => ({ ok: true }));

  // keyguard protects every route of the plugin it is registered in, and nothing outside it.
  await app.register(async (api) => {
    await api.register(keyguard, { verifier });

    api.get('/greeting', { config: { keyguard: { optional: true } } }, async (request) => ({
      message: `hello ${request.apiKey?.name ?? 'anonymous'}`,
    }));

    api.get('/me', async (request) => {
      const { id, name, permissions, roles, identity, credits, ratelimits } = request.apiKey!;
      return { id, name, permissions, roles, identity, credits, ratelimits };
    });

    api.get('/documents', { config: { keyguard: { permissions: 'documents.read' } } }, async () => ({ documents }));

    // Checked in the onRequest hook: an unauthenticated or unauthorised request costs no JSON parse.
    api.post<{ Body: { title?: unknown } }>(
      '/documents',
      { config: { keyguard: { permissions: 'documents.write' } } },
      async (request, reply) => {
        const title = typeof request.body?.title === 'string' ? request.body.title : 'untitled';
        const document = { id: documents.length + 1, title };
        documents.push(document);
        return reply.code(201).send(document);
      },
    );

    api.delete<{ Params: { id: string } }>(
      '/documents/:id',
      { onRequest: api.requirePermissions('admin OR (documents.write AND documents.delete)') },
      async (request, reply) => {
        const index = documents.findIndex((document) => document.id === Number(request.params.id));
        if (index >= 0) documents.splice(index, 1);
        return reply.code(204).send();
      },
    );
  });

  return app;
}
