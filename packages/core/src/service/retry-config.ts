// How clients retry: shapes only, so that option types (client-options.ts) name them without importing the loop.

/** Exponential backoff, in the shape of the Unkey and Clerk SDKs' `BackoffStrategy` (all times in ms). */
export interface BackoffStrategy {
  /** Wait before the first retry. */
  initialInterval: number;
  /** Longest wait between two attempts. */
  maxInterval: number;
  /** Growth of the wait per attempt. */
  exponent: number;
  /** No retry starts after this long since the first attempt. */
  maxElapsedTime: number;
}

/** Mirrors the Speakeasy-generated SDKs' `RetryConfig("backoff", BackoffStrategy(…), retryConnectionErrors)` (Unkey, Clerk). */
export interface RetryConfig {
  /** The only strategy: exponential backoff. */
  strategy: 'backoff';
  /** The waits between attempts and the time budget. */
  backoff: BackoffStrategy;
  /**
   * Retry timeouts and dropped connections of calls safe to repeat (default true).
   * @default true
   */
  retryConnectionErrors?: boolean;
}
