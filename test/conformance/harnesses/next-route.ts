import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { withApiKey } from '@keyguard/next';
import { GUARD_QUERY, listen, passed, verifierFor } from '../fixtures.js';
import type { Harness } from '../fixtures.js';

// App Router route handlers (`withApiKey`). Next.js hands a route handler a fetch `Request` and a context whose
// `params` is a Promise, and writes the `Response` it returns; a plain fetch-to-node:http server does the same here.
const harness: Harness = {
  name: 'next-route',
  async start(config) {
    const verifier = verifierFor(config);
    const routes: Record<string, (request: Request, context: { params: Promise<object> }) => Promise<Response>> = {
      '/protected': withApiKey((_request, { apiKey }) => Response.json(passed(apiKey)), { verifier }),
      '/optional': withApiKey((_request, { apiKey }) => Response.json(passed(apiKey)), { verifier, optional: true }),
      '/guarded': withApiKey((_request, { apiKey }) => Response.json(passed(apiKey)), {
        verifier,
        permissions: GUARD_QUERY,
      }),
    };
    const fetch = (request: Request) => {
      const route = routes[new URL(request.url).pathname];
      return route ? route(request, { params: Promise.resolve({}) }) : new Response(null, { status: 404 });
    };
    return listen(createAdaptorServer({ fetch }) as Server, () => verifier.close());
  },
};

export default harness;
