import { apiKeyFromHeaders, keyguardMiddleware } from '@keyguard/next/edge';
import { GUARD_QUERY, passed, verifierFor } from '../../conformance/fixtures.js';
import { requestSeenByRoute } from '../../support/next-router.js';

// The edge function the Edge runtime harness runs: test/conformance/harnesses/next-middleware.ts — `middleware.ts`
// from @keyguard/next/edge, a route reading the forwarded key back with `apiKeyFromHeaders`, and between the two what
// Next.js's router does with a middleware answer — bundled for `edge-light` from the built packages. The provider
// config and the forward secret come from `process.env`, the secret through the middleware's own default.

declare function addEventListener(type: 'fetch', listener: (event: FetchEvent) => void): void;
interface FetchEvent {
  request: Request;
  respondWith(response: Promise<Response>): void;
  waitUntil(promise: Promise<unknown>): void;
}

const verifier = verifierFor(JSON.parse(process.env.KEYGUARD_TEST_PROVIDER_CONFIG!));
const middlewares: Record<string, (request: Request, event: FetchEvent) => Promise<Response>> = {
  '/protected': keyguardMiddleware({ verifier }),
  '/optional': keyguardMiddleware({ verifier, optional: true }),
  '/guarded': keyguardMiddleware({ verifier, permissions: GUARD_QUERY }),
};
const route = async (request: Request) => Response.json(passed(await apiKeyFromHeaders(request.headers)));

async function handle(request: Request, event: FetchEvent): Promise<Response> {
  const middleware = middlewares[new URL(request.url).pathname];
  if (!middleware) return new Response(null, { status: 404 });
  const answer = await middleware(request, event);
  if (answer.headers.get('x-middleware-next') !== '1') return answer;
  const response = await route(requestSeenByRoute(request, answer));
  answer.headers.forEach((value, name) => {
    if (!name.startsWith('x-middleware-')) response.headers.set(name, value);
  });
  return response;
}

addEventListener('fetch', (event) => event.respondWith(handle(event.request, event)));
