import type { RetryConfig } from './retry-config.js';

/** Deadline for one verification: a request waits for it, so it is short (clients' management calls get 10 s). */
export const DEFAULT_PROVIDER_TIMEOUT_MS = 2000;

/**
 * The providers' retry policy. A verification may spend a credit or be billed, so it is repeated only when its
 * connection failed before anything was sent (the `unsent-only` call policy), and only briefly: a request is waiting.
 */
export const PROVIDER_RETRY_CONFIG: Readonly<RetryConfig> = Object.freeze({
  strategy: 'backoff',
  backoff: Object.freeze({ initialInterval: 20, maxInterval: 100, exponent: 2, maxElapsedTime: 150 }),
  retryConnectionErrors: false,
});
