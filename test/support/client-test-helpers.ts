import { afterEach } from 'vitest';
import type { RetryConfig } from '@keyguard/core/service';

/** Tiny waits so retry tests run fast; the budget is generous so they never give up early. */
export const FAST_RETRY: RetryConfig = {
  strategy: 'backoff',
  backoff: { initialInterval: 1, maxInterval: 5, exponent: 1.5, maxElapsedTime: 10_000 },
};

/** The error `promise` rejects with; fails the test if it resolves. */
export async function caught(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the call to fail');
}

interface Closable {
  close(): Promise<void>;
}

/**
 * Registers an `afterEach` that closes every client or verifier a test handed to the returned function (their
 * keep-alive pools would otherwise outlive the test), then runs `reset` (e.g. to clear a fake's requests and faults).
 */
export function closedAfterEach(reset?: () => void): <T extends Closable>(closable: T) => T {
  const open: Closable[] = [];
  afterEach(async () => {
    await Promise.all(open.splice(0).map((closable) => closable.close()));
    reset?.();
  });
  return (closable) => {
    open.push(closable);
    return closable;
  };
}
