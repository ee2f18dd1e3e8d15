import type { RetryPolicy } from '../retry-policy.js';
import type { Envelope } from './response.js';

export type { RetryPolicy } from '../retry-policy.js';

/** Sends one operation (`keys.getKey`) with its JSON body and unwraps the envelope. */
export type Call = <T>(operation: string, body: object, policy: RetryPolicy, secrets?: readonly string[]) => Promise<Envelope<T>>;
