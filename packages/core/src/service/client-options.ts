import type { TransportOptions } from '../runtime/types.js';
import type { RetryConfig } from './retry-config.js';

/** The options every typed API client takes besides its credential. */
export interface ApiClientOptions extends TransportOptions {
  /**
   * Deadline for one attempt of one call (default 10 s).
   * @default 10_000
   */
  timeoutMs?: number;
  /**
   * Retries of calls that are safe to repeat; `false` turns every retry off.
   * @default DEFAULT_RETRY_CONFIG
   */
  retry?: RetryConfig | false;
  /**
   * Default `keyguard`.
   * @default 'keyguard'
   */
  userAgent?: string;
}
