import { createKeyguard, createRateLimiter } from '@keyguard/core/edge';
import { createKeyguardMiddleware } from '../middleware.js';
import type { KeyguardMiddlewareFactory } from '../middleware.js';
import { createWithRateLimit } from '../rate-limit.js';
import type { WithRateLimit } from '../rate-limit.js';
import { createRateLimitMiddleware } from '../rate-limit-middleware.js';
import type { RateLimitMiddlewareFactory } from '../rate-limit-middleware.js';
import { createWithApiKey } from '../route-handler.js';
import type { WithApiKey } from '../route-handler.js';

// Edge entry (`middleware.ts`, `runtime = 'edge'` routes): core's fetch build, chosen by import path rather
// than by conditions, so nothing here can reach a Node built-in (test/edge-bundle.test.ts proves it).

/**
 * `middleware.ts` function: verifies the key, denies with keyguard's answers, and forwards the verified key to
 * the route as a signed request header that `apiKeyFromHeaders` reads back. Incoming copies of that header
 * are always removed. Scope it with `export const config = { matcher: [...] }`.
 *
 * @example
 * ```ts
 * // middleware.ts
 * import { keyguardMiddleware } from '@keyguard/next/edge';
 * import { unkey } from '@keyguard/unkey';
 *
 * export const middleware = keyguardMiddleware(() => ({
 *   provider: unkey({ rootKey: process.env.KEYGUARD_ROOT_KEY! }),
 *   permissions: 'documents.read',
 * }));
 * export const config = { matcher: ['/api/:path*'] };
 * ```
 */
export const keyguardMiddleware: KeyguardMiddlewareFactory = createKeyguardMiddleware(
  createKeyguard,
  createRateLimiter,
);

/** `withApiKey` for route handlers on the edge runtime (fetch build of core). */
export const withApiKey: WithApiKey = createWithApiKey(createKeyguard);

/**
 * `middleware.ts` function that limits requests per header, per any identifier of yours, or per IP with
 * `trustProxy` (middleware has no socket address, so `'ip'` without it throws). To count by key, give
 * `keyguardMiddleware` a `rateLimit` option instead: it counts after verifying.
 *
 * @example
 * ```ts
 * // middleware.ts
 * import { memoryRateLimitBackend } from '@keyguard/core/edge';
 * import { rateLimitMiddleware } from '@keyguard/next/edge';
 *
 * export const middleware = rateLimitMiddleware({
 *   backend: memoryRateLimitBackend(),
 *   namespace: 'api',
 *   limit: 100,
 *   duration: '1m',
 *   trustProxy: 1,
 * });
 * export const config = { matcher: ['/api/:path*'] };
 * ```
 */
export const rateLimitMiddleware: RateLimitMiddlewareFactory = createRateLimitMiddleware(createRateLimiter);

/** `withRateLimit` for route handlers on the edge runtime (fetch build of core). */
export const withRateLimit: WithRateLimit = createWithRateLimit(createRateLimiter);

export * from '../public-api.js';
