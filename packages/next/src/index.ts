import { createKeyguard, createRateLimiter } from '@keyguard/core';
import { createKeyguardMiddleware } from './middleware.js';
import type { KeyguardMiddlewareFactory } from './middleware.js';
import { createWithApiKeyPages } from './pages.js';
import type { WithApiKeyPages } from './pages.js';
import { createWithRateLimit } from './rate-limit.js';
import type { WithRateLimit } from './rate-limit.js';
import { createRateLimitMiddleware } from './rate-limit-middleware.js';
import type { RateLimitMiddlewareFactory } from './rate-limit-middleware.js';
import { createWithRateLimitPages } from './rate-limit-pages.js';
import type { WithRateLimitPages } from './rate-limit-pages.js';
import { createWithApiKey } from './route-handler.js';
import type { WithApiKey } from './route-handler.js';

// Server entry (route handlers, Pages API routes). `@keyguard/core` resolves to core's Node build (undici) on
// Node and to its fetch build under the `edge-light` / `worker` conditions. Middleware: `@keyguard/next/edge`.

/**
 * Protects an App Router route handler: verifies the request's API key and calls
 * `handler(request, { apiKey, params })`, or answers 400/401/403/429/503 (RFC 6750, RFC 9457).
 * Create it at module level (`export const GET = withApiKey(...)`) and share one `verifier` between routes.
 *
 * @example
 * ```ts
 * // app/api/documents/[id]/route.ts
 * import { createVerifier } from '@keyguard/core';
 * import { withApiKey } from '@keyguard/next';
 * import { unkey } from '@keyguard/unkey';
 *
 * const verifier = createVerifier({ provider: unkey({ rootKey: process.env.KEYGUARD_ROOT_KEY! }) });
 *
 * export const GET = withApiKey(
 *   async (request: Request, { apiKey, params }) => Response.json({ caller: apiKey.id, params: await params }),
 *   { verifier, permissions: 'documents.read' },
 * );
 * ```
 */
export const withApiKey: WithApiKey = createWithApiKey(createKeyguard);

/** Protects a Pages Router API route: sets `req.apiKey`, or writes the denial. */
export const withApiKeyPages: WithApiKeyPages = createWithApiKeyPages(createKeyguard);

/**
 * `middleware.ts` function: verifies the key, denies with keyguard's answers, and forwards the verified key to
 * the route as a signed request header (`apiKeyFromHeaders` reads it back). Prefer `@keyguard/next/edge`.
 */
export const keyguardMiddleware: KeyguardMiddlewareFactory = createKeyguardMiddleware(
  createKeyguard,
  createRateLimiter,
);

/**
 * Limits an App Router route handler per IP, per key, per identity or per any identifier of yours: answers 429 (or
 * 503 when the backend fails closed) as keyguard does, and adds the rate-limit headers to the handler's response.
 * Route handlers get no socket address: the `'ip'` source needs `trustProxy` (1 behind one proxy, such as Vercel's),
 * else creating it throws. Wrapped in `withApiKey`, the `'apiKey'` and `'identity'` sources count by the verified key.
 *
 * @example
 * ```ts
 * // app/api/search/route.ts
 * import { createVerifier, memoryRateLimitBackend } from '@keyguard/core';
 * import { withApiKey, withRateLimit } from '@keyguard/next';
 * import { unkey } from '@keyguard/unkey';
 *
 * const verifier = createVerifier({ provider: unkey({ rootKey: process.env.KEYGUARD_ROOT_KEY! }) });
 * const backend = memoryRateLimitBackend();
 *
 * export const GET = withApiKey(
 *   withRateLimit(async (_request: Request, { apiKey }) => Response.json({ caller: apiKey?.id }), {
 *     backend,
 *     namespace: 'search',
 *     limit: 100,
 *     duration: '1m',
 *     identifier: 'apiKey',
 *   }),
 *   { verifier },
 * );
 * ```
 */
export const withRateLimit: WithRateLimit = createWithRateLimit(createRateLimiter);

/**
 * Limits a Pages Router API route (the `'ip'` source is the socket's address); wrapped in `withApiKeyPages`, counts
 * by `req.apiKey` with the `'apiKey'` and `'identity'` sources.
 */
export const withRateLimitPages: WithRateLimitPages = createWithRateLimitPages(createRateLimiter);

/** `middleware.ts` function that only limits requests (no key is read); prefer `@keyguard/next/edge`. */
export const rateLimitMiddleware: RateLimitMiddlewareFactory = createRateLimitMiddleware(createRateLimiter);

export * from './public-api.js';
