import type { KeyVault } from '../crypto/encryption.js';
import type { Pagination } from '../http/unkey/envelope.js';
import type { KeyServerLogger } from '../server/logger.js';
import type { Store } from '../store/store.js';
import type { RootKeyRecord } from '../store/types.js';
import type { Schema } from '../validation/schema.js';

/** What an endpoint gets besides its validated body. */
export interface EndpointContext {
  store: Store;
  rootKey: RootKeyRecord;
  requestId: string;
  /** The request's clock reading (unix ms), one per request. */
  now: number;
  vault: KeyVault;
  logger: KeyServerLogger;
}

export interface EndpointResult {
  data: unknown;
  pagination?: Pagination;
}

/** One `POST /v2/<operation>`: its body schema and a synchronous handler (better-sqlite3 is synchronous). */
export interface Endpoint {
  operation: string;
  body: Schema<unknown>;
  handle(context: EndpointContext, body: unknown): EndpointResult;
}

export function defineEndpoint<B>(definition: { operation: string; body: Schema<B>; handle(context: EndpointContext, body: B): EndpointResult }): Endpoint {
  return { operation: definition.operation, body: definition.body as Schema<unknown>, handle: (context, body) => definition.handle(context, body as B) };
}
