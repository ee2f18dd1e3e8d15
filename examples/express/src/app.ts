import express from 'express';
import type { Express } from 'express';
import type { Verifier } from '@keyguard/core';
import { keyguard, requirePermissions } from '@keyguard/express';

interface Document {
  id: number;
  title: string;
}

/** A small documents API: a public route, an optional-auth route, authenticated routes and guarded ones. */
export function createApp(verifier: Verifier): Express {
  const app = express();
  const documents: Document[] = [{ id: 1, title: 'Getting started' }];
  const authenticated = keyguard({ verifier });
  const anonymousAllowed = keyguard({ verifier, optional: true });

  app.get('/health', (_request, response) => {
    response.json({ ok: true });
  });

  app.get('/greeting', anonymousAllowed, (request, response) => {
    response.json({ message: `hello ${request.apiKey?.name ?? 'anonymous'}` });
  });

  app.get('/me', authenticated, (request, response) => {
    const { id, name, permissions, roles, identity, credits, ratelimits } = request.apiKey!;
    response.json({ id, name, permissions, roles, identity, credits, ratelimits });
  });

  app.get('/documents', authenticated, requirePermissions('documents.read'), (_request, response) => {
    response.json({ documents });
  });

  // The key is checked before the body is parsed: an unauthenticated request costs no JSON parse.
  app.post(
    '/documents',
    authenticated,
    requirePermissions('documents.write'),
    express.json({ limit: '16kb' }),
    (request, response) => {
      const title = typeof request.body?.title === 'string' ? request.body.title : 'untitled';
      const document = { id: documents.length + 1, title };
      documents.push(document);
      response.status(201).json(document);
    },
  );

  app.delete(
    '/documents/:id',
    authenticated,
    requirePermissions('admin OR (documents.write AND documents.delete)'),
    (request, response) => {
      const index = documents.findIndex((document) => document.id === Number(request.params.id));
      if (index >= 0) documents.splice(index, 1);
      response.status(204).end();
    },
  );

  return app;
}
