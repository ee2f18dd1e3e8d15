import { createKeyguard } from '@keyguard/core';
import { createKeyguardMiddleware } from './middleware.js';
import type { KeyguardMiddlewareFactory } from './middleware.js';
import { createWithApiKeyPages } from './pages.js';
import type { WithApiKeyPages } from './pages.js';
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
export const keyguardMiddleware: KeyguardMiddlewareFactory = createKeyguardMiddleware(createKeyguard);

export * from './public-api.js';
