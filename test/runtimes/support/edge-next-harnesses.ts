import { registerSecret } from '../../support/secrets.js';
import type { Harness } from '../../conformance/fixtures.js';
import { bundleFor, NEXT_EDGE_TARGET, type EdgeBundle } from './edge-bundle.js';
import { serveEdgeFunction } from './edge-runtime.js';

// The conformance harnesses of @keyguard/next in Vercel's Edge runtime: each edge function bundled once per test file
// for `edge-light` from the built packages, and evaluated in a fresh Edge runtime per start.

const FORWARD_SECRET = 'edge-conformance-forward-secret-0123456789';
registerSecret(FORWARD_SECRET);

const bundles = new Map<string, Promise<EdgeBundle>>();
/** The edge function of `support/<app>.ts`, bundled as a script for the Edge runtime. */
export function edgeBundle(app: 'edge-next-middleware-app' | 'edge-next-route-app'): Promise<EdgeBundle> {
  if (!bundles.has(app))
    bundles.set(app, bundleFor(new URL(`./${app}.ts`, import.meta.url).pathname, NEXT_EDGE_TARGET));
  return bundles.get(app)!;
}

function edgeHarness(name: string, app: Parameters<typeof edgeBundle>[0]): Harness {
  return {
    name,
    async start(config) {
      const env = { KEYGUARD_TEST_PROVIDER_CONFIG: JSON.stringify(config), KEYGUARD_FORWARD_SECRET: FORWARD_SECRET };
      return serveEdgeFunction((await edgeBundle(app)).code, env);
    },
  };
}

/** `middleware.ts` (@keyguard/next/edge) forwarding the verified key to a route, on the Edge runtime. */
export const edgeNextMiddleware = edgeHarness('edge-next-middleware', 'edge-next-middleware-app');
/** App Router route handlers (`withApiKey` of @keyguard/next) on the Edge runtime. */
export const edgeNextRoute = edgeHarness('edge-next-route', 'edge-next-route-app');
