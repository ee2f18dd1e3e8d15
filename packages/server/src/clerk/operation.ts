import type { KeyVault } from '../crypto/encryption.js';
import { spendRequestQuota } from '../http/request-quota.js';
import type { KeyServerLogger } from '../key-server/logger.js';
import type { Store } from '../store/store.js';
import type { Schema } from '../http/validation/schema.js';

export type ClerkMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** What a Clerk operation gets besides its input. */
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

/** One Clerk Backend API operation: method, path (`:id` for the key id), success status, input schemas and handler. */
export interface ClerkOperation {
  method: ClerkMethod;
  /** Under the API root: `/api_keys/:id`, served with and without the `/v1` prefix. */
  path: string;
  /** The success status; 200 unless said. */
  status?: number;
  query: Schema<unknown>;
  /** Absent: the body is not read. `optional`: a request without a body reads as `{}`. */
  body?: { schema: Schema<unknown>; optional?: boolean };
  /** The success answer's JSON (synchronous, as both SQLite drivers are). */
  handle(context: ClerkContext, input: ClerkInput<unknown, unknown>): unknown;
}

export function defineOperation<Q, B = undefined>(definition: {
  method: ClerkMethod;
  path: string;
  status?: number;
  query: Schema<Q>;
  body?: { schema: Schema<B>; optional?: boolean };
  handle(context: ClerkContext, input: ClerkInput<Q, B>): unknown;
}): ClerkOperation {
  return {
    method: definition.method,
    path: definition.path,
    status: definition.status,
    query: definition.query as Schema<unknown>,
    body: definition.body as ClerkOperation['body'],
    // The workspace's request quota covers its Clerk routes too (Clerk's Backend API has a per-key request limit).
    handle: (context, input) => {
      spendRequestQuota(context.store, context.workspaceId, context.now);
      return definition.handle(context, input as ClerkInput<Q, B>);
    },
  };
}
