import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import * as edgeCore from '@keyguard/core/edge';
import { runtime as fetchRuntime } from '@keyguard/core/runtime-edge';
import {
  apiKeyFromHeaders,
  keyguardMiddleware,
  rateLimitMiddleware,
} from '../../../packages/next/src/entries/index.edge.js';
import { API_KEY_KINDS, GUARD_QUERY, MACHINE_KINDS, listen, passed, passedKind, verifierFor } from '../fixtures.js';
import type { Harness } from '../fixtures.js';
import { RATE_LIMITED_ROUTES, rateLimitOptionsFor } from '../rate-limit-routes.js';
import { requestSeenByRoute } from '../../support/next-router.js';
import { registerSecret } from '../../support/secrets.js';

// `middleware.ts` on the edge (`keyguardMiddleware` from the edge entry, core's fetch build), forwarding the
// verified key signed to a route that reads it back with `apiKeyFromHeaders`. Between the two, this harness does
// what Next.js's router does with a middleware answer: `NextResponse.next({ request: { headers } })` replaces the
// request's headers with the `x-middleware-request-*` ones, other response headers go to the client, and any
// other answer (a denial) is the response.
const SECRET = 'conformance-forward-secret-0123456789abcdef';
registerSecret(SECRET);

const harness: Harness = {
  name: 'next-middleware',
  async start(config) {
    const verifier = verifierFor(config, { createVerifier: edgeCore.createVerifier, runtime: fetchRuntime });
    const forward = { secret: SECRET };
    // One middleware per kind of path, as a `middleware.ts` would dispatch on `request.nextUrl.pathname`.
    const middlewares: Record<string, (request: Request) => Promise<Response>> = {
      '/protected': keyguardMiddleware({ verifier, forward }),
      '/optional': keyguardMiddleware({ verifier, forward, optional: true }),
      '/guarded': keyguardMiddleware({ verifier, forward, permissions: GUARD_QUERY }),
      '/machines': keyguardMiddleware({ verifier, forward, accepts: MACHINE_KINDS }),
      '/api-keys': keyguardMiddleware({ verifier, forward, accepts: API_KEY_KINDS, permissions: GUARD_QUERY }),
    };
    // Counting by key takes keyguardMiddleware's `rateLimit` option (one middleware.ts verifies, then counts).
    const backend = edgeCore.memoryRateLimitBackend();
    for (const limited of RATE_LIMITED_ROUTES) {
      const options = rateLimitOptionsFor(limited, backend);
      middlewares[limited.path] = limited.afterKeyguard
        ? keyguardMiddleware({ verifier, forward, rateLimit: options })
        : rateLimitMiddleware(options);
    }
    const route = async (request: Request) => {
      const apiKey = await apiKeyFromHeaders(request.headers, forward);
      const { pathname } = new URL(request.url);
      return Response.json(pathname === '/machines' || pathname === '/api-keys' ? passedKind(apiKey) : passed(apiKey));
    };

    const fetch = async (request: Request): Promise<Response> => {
      const middleware = middlewares[new URL(request.url).pathname];
      if (!middleware) return new Response(null, { status: 404 });
      const answer = await middleware(request);
      if (answer.headers.get('x-middleware-next') !== '1') return answer;
      const response = await route(requestSeenByRoute(request, answer));
      answer.headers.forEach((value, name) => {
        if (!name.startsWith('x-middleware-')) response.headers.set(name, value);
      });
      return response;
    };
    return listen(createAdaptorServer({ fetch }) as Server, () => verifier.close());
  },
};

export default harness;
