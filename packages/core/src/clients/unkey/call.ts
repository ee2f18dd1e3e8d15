import type { Envelope } from './response.js';

/**
 * How a call may be repeated. `repeatable`: reads and deletes, retried on 429, 5xx and connection failures.
 * `unsent-only`: calls with effects (create, update, verify: a verification may spend a credit), retried only
 * when the request certainly never reached Unkey.
 */
export type RetryPolicy = 'repeatable' | 'unsent-only';

/** Sends one operation (`keys.getKey`) with its JSON body and unwraps the envelope. */
export type Call = <T>(operation: string, body: object, policy: RetryPolicy, secrets?: readonly string[]) => Promise<Envelope<T>>;
