import { createKeyguardWith } from '../guard/create-keyguard.js';
import type { KeyguardOptions, RequestGuard } from '../guard/types.js';
import { fetchRuntime } from '../runtime/fetch.js';
import { createRateLimiterWith } from '../rate-limit/rate-limiter.js';
import type { RateLimiter, RateLimitOptions } from '../rate-limit/types.js';
import { createVerifierWith } from '../verifier/create-verifier.js';
import type { Verifier, VerifierOptions } from '../verifier/types.js';

export * from '../public-api.js';

/**
 * A verifier with a bounded cache in front of `provider` (fetch build: Web Crypto, no Node built-ins).
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
export const createVerifier = (options: VerifierOptions): Verifier => createVerifierWith(fetchRuntime, options);

/**
 * The framework-free core every adapter wraps, the RequestGuard that each adapter's `keyguard()` builds and exposes
 * as `.keyguard` (fetch build).
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
export const createKeyguard = (options: KeyguardOptions): RequestGuard => createKeyguardWith(fetchRuntime, options);

/**
 * The framework-free rate limiter every adapter's `rateLimit()` wraps (fetch build: telemetry only when given); see
 * the Node build's for an example.
 */
export const createRateLimiter = (options: RateLimitOptions): RateLimiter =>
  createRateLimiterWith(fetchRuntime, options);
