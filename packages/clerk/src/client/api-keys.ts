import { TransportError } from '@keyguard/core/service';
import type { ClerkSend } from '../connection.js';
import { ClerkApiError } from '../errors.js';
import type {
  APIKey,
  APIKeyList,
  APIKeySecret,
  CreateAPIKeyRequest,
  DeletedAPIKey,
  ListAPIKeysRequest,
  RevokeAPIKeyRequest,
  UpdateAPIKeyRequest,
  VerifyAPIKeyRequest,
} from '../types.js';
import {
  createBody,
  keyPath,
  listQuery,
  revokeBody,
  toAPIKey,
  toAPIKeyList,
  toAPIKeySecret,
  toDeletedAPIKey,
  updateBody,
} from '../wire.js';

/** The eight `api_keys` operations. */
export interface ClerkApiKeys {
  /** Answers the key with its `secret`. Not retried after it may have reached Clerk: a repeat would create a second key. */
  create(request: CreateAPIKeyRequest): Promise<APIKey>;
  /** One page; `totalCount` counts every match. */
  list(request: ListAPIKeysRequest): Promise<APIKeyList>;
  /** Every page from `request.offset` (or 0) on, `request.limit` keys at a time (Clerk's default 10). */
  listAll(request: ListAPIKeysRequest): AsyncGenerator<APIKeyList, void, undefined>;
  /** `GET /api_keys/{id}`: the key's settings (not its secret). */
  get(id: string): Promise<APIKey>;
  /** Emits a key change for `id`. */
  update(id: string, request: UpdateAPIKeyRequest): Promise<APIKey>;
  /** Emits a key change for `id`. */
  delete(id: string): Promise<DeletedAPIKey>;
  /** `GET /api_keys/{id}/secret`: the key's secret (a secret: never log it). */
  getSecret(id: string): Promise<APIKeySecret>;
  /** Emits a key change for `id`. */
  revoke(id: string, request?: RevokeAPIKeyRequest): Promise<APIKey>;
  /** Never retried after it may have reached Clerk: each verification is billed. */
  verify(request: VerifyAPIKeyRequest): Promise<APIKey>;
}

/**
 * Whether a failed delete, update or revocation may still have taken effect: the request may have arrived (a lost
 * answer, a timeout, a 5xx, an unreadable success), or the key is gone (404). A spurious key change costs a
 * verifier one upstream call; a missed one would serve a revoked key from cache.
 */
function mayHaveChanged(error: unknown): boolean {
  if (error instanceof ClerkApiError && error.cause instanceof TransportError) return error.cause.sent;
  if (error instanceof ClerkApiError) {
    const { status } = error;
    return status === undefined || status === 404 || status >= 500 || (status >= 200 && status < 300);
  }
  return true;
}

/** Wraps a call that changes key `keyId`: reports the change once it is done, or when it failed but may have been. */
export function changeReporter(keyChanged: (keyId: string) => void) {
  return async <T>(keyId: string, sending: Promise<T>): Promise<T> => {
    try {
      const result = await sending;
      keyChanged(keyId);
      return result;
    } catch (error) {
      if (mayHaveChanged(error)) keyChanged(keyId);
      throw error;
    }
  };
}

export function createApiKeysGroup(send: ClerkSend, keyChanged: (keyId: string) => void): ClerkApiKeys {
  const changing = changeReporter(keyChanged);

  const list = (request: ListAPIKeysRequest): Promise<APIKeyList> =>
    send({
      operation: 'apiKeys.list',
      method: 'GET',
      path: `/api_keys${listQuery(request)}`,
      policy: 'repeatable',
      parse: toAPIKeyList,
    });

  return {
    create: (request) =>
      send({
        operation: 'apiKeys.create',
        method: 'POST',
        path: '/api_keys',
        body: createBody(request),
        policy: 'unsent-only',
        parse: toAPIKey,
      }),
    list,
    async *listAll(request) {
      let offset = request.offset ?? 0;
      for (;;) {
        const page = await list({ ...request, offset });
        yield page;
        offset += page.data.length;
        // An empty page ends the walk even below totalCount (keys deleted meanwhile), so it cannot loop forever.
        if (page.data.length === 0 || offset >= page.totalCount) return;
      }
    },
    get: (id) =>
      send({ operation: 'apiKeys.get', method: 'GET', path: keyPath(id), policy: 'repeatable', parse: toAPIKey }),
    // A partial update is not safe to replay blindly (it may race a newer update), so only when never sent.
    update: (id, request) =>
      changing(
        id,
        send({
          operation: 'apiKeys.update',
          method: 'PATCH',
          path: keyPath(id),
          body: updateBody(request),
          policy: 'unsent-only',
          parse: toAPIKey,
        }),
      ),
    // Deleting twice ends in the same state (the second answers 404), so a lost answer may be retried.
    delete: (id) =>
      changing(
        id,
        send({
          operation: 'apiKeys.delete',
          method: 'DELETE',
          path: keyPath(id),
          policy: 'repeatable',
          parse: toDeletedAPIKey,
        }),
      ),
    getSecret: (id) =>
      send({
        operation: 'apiKeys.getSecret',
        method: 'GET',
        path: keyPath(id, '/secret'),
        policy: 'repeatable',
        parse: toAPIKeySecret,
      }),
    revoke: (id, request = {}) =>
      changing(
        id,
        send({
          operation: 'apiKeys.revoke',
          method: 'POST',
          path: keyPath(id, '/revoke'),
          body: revokeBody(request),
          policy: 'unsent-only',
          parse: toAPIKey,
        }),
      ),
    verify: (request) =>
      send({
        operation: 'apiKeys.verify',
        method: 'POST',
        path: '/api_keys/verify',
        body: { secret: request.secret },
        policy: 'unsent-only',
        secrets: [request.secret],
        parse: toAPIKey,
      }),
  };
}
