import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { memoryRateLimitBackend } from '@keyguard/core';
import type { VerifiedKey } from '@keyguard/core';
import { withApiKey, withRateLimit } from '@keyguard/next';
import { API_KEY_KINDS, GUARD_QUERY, MACHINE_KINDS, listen, passed, passedKind, verifierFor } from '../fixtures.js';
import type { Harness } from '../fixtures.js';
import { RATE_LIMITED_ROUTES, rateLimitOptionsFor } from '../rate-limit-routes.js';

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
      '/machines': withApiKey((_request, { apiKey }) => Response.json(passedKind(apiKey)), {
        verifier,
        accepts: MACHINE_KINDS,
      }),
      '/api-keys': withApiKey((_request, { apiKey }) => Response.json(passedKind(apiKey)), {
        verifier,
        accepts: API_KEY_KINDS,
        permissions: GUARD_QUERY,
      }),
    };
    const backend = memoryRateLimitBackend();
    const answer = (_request: Request, { apiKey }: { apiKey?: VerifiedKey; params: Promise<object> }) =>
      Response.json(passed(apiKey));
    for (const route of RATE_LIMITED_ROUTES) {
      const limited = withRateLimit(answer, rateLimitOptionsFor(route, backend));
      routes[route.path] = route.afterKeyguard ? withApiKey(limited, { verifier }) : limited;
    }
    const fetch = (request: Request) => {
      const route = routes[new URL(request.url).pathname];
      return route ? route(request, { params: Promise.resolve({}) }) : new Response(null, { status: 404 });
    };
    return listen(createAdaptorServer({ fetch }) as Server, () => verifier.close());
  },
};

export default harness;
