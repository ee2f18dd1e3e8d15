import type { IncomingMessage } from 'node:http';
import { hashKey } from '../crypto/hash.js';
import { readBearer } from '../http/bearer.js';
import { prepare } from '../store/prepare.js';
import type { Store } from '../store/store.js';
import type { AuditActor } from './types.js';

/**
 * The Clerk-style secret key of an authenticated `/v1/api_keys` request, by id. Looked up again for audited
 * operations only, so that authentication (on every verification too) stays one lookup answering the workspace.
 */
export function clerkActor(request: IncomingMessage, store: Store): AuditActor {
  const bearer = readBearer(request);
  const id =
    bearer.kind === 'token'
      ? (prepare(store.db, 'SELECT id FROM clerk_secret_keys WHERE hash = ?').pluck().get(hashKey(bearer.token)) as
          string | undefined)
      : undefined;
  return { type: 'clerk_secret_key', id: id ?? 'unknown' };
}
