import type { KeyVault } from '../crypto/encryption.js';
import type { Pagination } from './envelope.js';
import { spendRequestQuota } from '../http/request-quota.js';
import type { KeyServerLogger } from '../key-server/logger.js';
import type { Store } from '../store/store.js';
import type { RootKeyRecord } from '../store/types.js';
import type { Schema } from '../http/validation/schema.js';

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

/** One `POST /v2/<operation>`: its body schema and a synchronous handler (both SQLite drivers are synchronous). */
export interface Endpoint {
  operation: string;
  body: Schema<unknown>;
  handle(context: EndpointContext, body: unknown): EndpointResult;
}

/** An endpoint whose requests count against the workspace's request quota (429 once it is spent) before they run. */
export function defineEndpoint<B>(definition: { operation: string; body: Schema<B>; handle(context: EndpointContext, body: B): EndpointResult }): Endpoint {
  return {
    operation: definition.operation,
    body: definition.body as Schema<unknown>,
    handle: (context, body) => {
      spendRequestQuota(context.store, context.rootKey.workspaceId, context.now);
      return definition.handle(context, body as B);
    },
  };
}
