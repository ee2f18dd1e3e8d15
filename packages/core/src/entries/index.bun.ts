import { createKeyguardWith } from '../guard/create-keyguard.js';
import type { KeyguardOptions, RequestGuard } from '../guard/types.js';
import { bunRuntime } from '../runtime/bun.js';
import { createRateLimiterWith } from '../rate-limit/rate-limiter.js';
import type { RateLimiter, RateLimitOptions } from '../rate-limit/types.js';
import { createVerifierWith } from '../verifier/create-verifier.js';
import type { Verifier, VerifierOptions } from '../verifier/types.js';

export * from '../public-api.js';

/** A verifier with a bounded cache in front of `provider` (Bun build: fetch and node:crypto). */
export const createVerifier = (options: VerifierOptions): Verifier => createVerifierWith(bunRuntime, options);
/** The framework-free core every adapter wraps (Bun build). */
export const createKeyguard = (options: KeyguardOptions): RequestGuard => createKeyguardWith(bunRuntime, options);

/**
 * The framework-free rate limiter every adapter's `rateLimit()` wraps (Bun build: finds OpenTelemetry when
 * `@opentelemetry/api` is installed); see the Node build's for an example.
 */
export const createRateLimiter = (options: RateLimitOptions): RateLimiter => createRateLimiterWith(bunRuntime, options);
