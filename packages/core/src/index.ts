import { createKeyguardWith } from './guard/create-keyguard.js';
import type { KeyguardOptions, RequestGuard } from './guard/types.js';
import { nodeRuntime } from './runtime/node.js';
import { createRateLimiterWith } from './rate-limit/rate-limiter.js';
import type { RateLimiter, RateLimitOptions } from './rate-limit/types.js';
import { createVerifierWith } from './verifier/create-verifier.js';
import type { Verifier, VerifierOptions } from './verifier/types.js';

export * from './public-api.js';

/**
 * A verifier with a bounded cache in front of `provider` (Node build: node:crypto).
 *
 * @example
 * ```ts
 * import { createVerifier } from '@keyguard/core';
 * import { unkey } from '@keyguard/unkey';
 *
 * const verifier = createVerifier({
 *   provider: unkey({ rootKey: process.env.UNKEY_ROOT_KEY! }),
 *   cache: { freshMs: 10_000, staleMs: 60_000 },
 * });
 * const verification = await verifier.verify('sk_…');
 * console.log(verification.valid ? verification.key.id : verification.code);
 * await verifier.close();
 * ```
 */
export const createVerifier = (options: VerifierOptions): Verifier => createVerifierWith(nodeRuntime, options);

/**
 * The framework-free core every adapter wraps, the RequestGuard that each adapter's `keyguard()` builds and exposes
 * as `.keyguard` (Node build).
 *
 * @example
 * ```ts
 * import { createKeyguard } from '@keyguard/core';
 * import { unkey } from '@keyguard/unkey';
 *
 * const guard = createKeyguard({ provider: unkey({ rootKey: process.env.UNKEY_ROOT_KEY! }) });
 * const outcome = await guard.authenticate({ headers: { authorization: 'Bearer sk_…' } });
 * if (!outcome.allowed) console.log(outcome.denial.status, outcome.denial.body.code);
 * ```
 */
export const createKeyguard = (options: KeyguardOptions): RequestGuard => createKeyguardWith(nodeRuntime, options);

/**
 * The framework-free rate limiter every adapter's `rateLimit()` wraps: resolves whom a request counts against and
 * what it costs, asks the backend (per request, or in batches: see `mode`), and answers with the limits' headers or
 * a 429 / 503 ready to write (Node build: finds OpenTelemetry when `@opentelemetry/api` is installed).
 *
 * @example
 * ```ts
 * import { createRateLimiter, memoryRateLimitBackend } from '@keyguard/core';
 *
 * const limiter = createRateLimiter({
 *   backend: memoryRateLimitBackend(),
 *   namespace: 'api',
 *   limits: [
 *     { name: 'burst', limit: 10, duration: '1s' },
 *     { name: 'hourly', limit: 1000, duration: '1h' },
 *   ],
 *   identifier: ['identity', 'ip'],
 * });
 * const outcome = await limiter.check({ headers: {}, ip: '203.0.113.7' });
 * if (!outcome.allowed) console.log(outcome.denial.status); // 429, with Retry-After and RateLimit headers
 * await limiter.close();
 * ```
 */
export const createRateLimiter = (options: RateLimitOptions): RateLimiter =>
  createRateLimiterWith(nodeRuntime, options);
