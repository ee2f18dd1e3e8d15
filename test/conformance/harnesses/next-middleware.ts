import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { createVerifier, unkey } from '@keyguard/core/edge';
import { apiKeyFromHeaders, keyguardMiddleware } from '../../../packages/next/src/edge.js';
import { GUARD_QUERY, listen, passed } from '../fixtures.js';
import type { Harness } from '../fixtures.js';
import { registerSecret } from '../../support/secrets.js';

// `middleware.ts` on the edge (`keyguardMiddleware` from the edge entry, core's fetch build), forwarding the
// verified key signed to a route that reads it back with `apiKeyFromHeaders`. Between the two, this harness does
// what Next.js's router does with a middleware answer: `NextResponse.next({ request: { headers } })` replaces the
// request's headers with the `x-middleware-request-*` ones, other response headers go to the client, and any
// other answer (a denial) is the response.
const SECRET = 'conformance-forward-secret-0123456789abcdef';
registerSecret(SECRET);

function forwardedRequest(request: Request, next: Response): Request {
  const override = next.headers.get('x-middleware-override-headers');
  if (override === null) return request;
  const headers = new Headers();
  for (const name of override.split(',').map((part) => part.trim()).filter(Boolean)) {
    const value = next.headers.get(`x-middleware-request-${name}`);
    if (value !== null) headers.set(name, value);
  }
  return new Request(request.url, { method: request.method, headers });
}

const harness: Harness = {
  name: 'next-middleware',
  async start(config) {
    const verifier = createVerifier({ provider: unkey({ rootKey: config.rootKey, baseUrl: config.baseUrl, timeoutMs: config.timeoutMs }) });
    const forward = { secret: SECRET };
    // One middleware per kind of path, as a `middleware.ts` would dispatch on `request.nextUrl.pathname`.
    const middlewares: Record<string, (request: Request) => Promise<Response>> = {
      '/protected': keyguardMiddleware({ verifier, forward }),
      '/optional': keyguardMiddleware({ verifier, forward, optional: true }),
      '/guarded': keyguardMiddleware({ verifier, forward, permissions: GUARD_QUERY }),
    };
    const route = async (request: Request) => Response.json(passed(await apiKeyFromHeaders(request.headers, forward)));

    const fetch = async (request: Request): Promise<Response> => {
      const middleware = middlewares[new URL(request.url).pathname];
      if (!middleware) return new Response(null, { status: 404 });
      const answer = await middleware(request);
      if (answer.headers.get('x-middleware-next') !== '1') return answer;
      const response = await route(forwardedRequest(request, answer));
      answer.headers.forEach((value, name) => {
        if (!name.startsWith('x-middleware-')) response.headers.set(name, value);
      });
      return response;
    };
    return listen(createAdaptorServer({ fetch }) as Server, () => verifier.close());
  },
};

export default harness;
