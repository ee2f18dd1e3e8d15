import { withApiKey } from '@keyguard/next';
import { GUARD_QUERY, passed, verifierFor } from '../../conformance/fixtures.js';

// The edge function the Edge runtime harness for route handlers runs: test/conformance/harnesses/next-route.ts
// (`withApiKey` of @keyguard/next, whose `@keyguard/core` is core's fetch build under `edge-light`), as App Router
// route handlers with `export const runtime = 'edge'`, bundled from the built packages. The provider config comes
// from `process.env`.

declare function addEventListener(
  type: 'fetch',
  listener: (event: { request: Request; respondWith(response: Promise<Response> | Response): void }) => void,
): void;

const verifier = verifierFor(JSON.parse(process.env.KEYGUARD_TEST_PROVIDER_CONFIG!));
const routes: Record<string, (request: Request, context: { params: Promise<object> }) => Promise<Response>> = {
  '/protected': withApiKey((_request, { apiKey }) => Response.json(passed(apiKey)), { verifier }),
  '/optional': withApiKey((_request, { apiKey }) => Response.json(passed(apiKey)), { verifier, optional: true }),
  '/guarded': withApiKey((_request, { apiKey }) => Response.json(passed(apiKey)), {
    verifier,
    permissions: GUARD_QUERY,
  }),
};

addEventListener('fetch', (event) => {
  const route = routes[new URL(event.request.url).pathname];
  event.respondWith(
    route ? route(event.request, { params: Promise.resolve({}) }) : new Response(null, { status: 404 }),
  );
});
