import type { KeyVault } from '../crypto/encryption.js';
import type { KeyServerLogger } from '../server/logger.js';
import type { Store } from '../store/store.js';
import type { Schema } from '../validation/schema.js';

export type ClerkMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** What a `/v1` operation gets besides its input. */
export interface ClerkContext {
  store: Store;
  /** The workspace of the request's secret key. */
  workspaceId: string;
  /** The request's clock reading (unix ms), one per request. */
  now: number;
  vault: KeyVault;
  logger: KeyServerLogger;
}

export interface ClerkInput<Q, B> {
  /** The `:id` path segment, or `''` for paths without one. */
  id: string;
  query: Q;
  body: B;
}

/** One Clerk Backend API operation: method, path under `/v1` (`:id` for the key id), input schemas and handler. */
export interface ClerkOperation {
  method: ClerkMethod;
  path: string;
  query: Schema<unknown>;
  /** Absent: the body is not read. `optional`: a request without a body reads as `{}`. */
  body?: { schema: Schema<unknown>; optional?: boolean };
  /** The 200 answer's JSON (synchronous: better-sqlite3 is). */
  handle(context: ClerkContext, input: ClerkInput<unknown, unknown>): unknown;
}

export function defineOperation<Q, B = undefined>(definition: {
  method: ClerkMethod;
  path: string;
  query: Schema<Q>;
  body?: { schema: Schema<B>; optional?: boolean };
  handle(context: ClerkContext, input: ClerkInput<Q, B>): unknown;
}): ClerkOperation {
  return {
    method: definition.method,
    path: definition.path,
    query: definition.query as Schema<unknown>,
    body: definition.body as ClerkOperation['body'],
    handle: (context, input) => definition.handle(context, input as ClerkInput<Q, B>),
  };
}
