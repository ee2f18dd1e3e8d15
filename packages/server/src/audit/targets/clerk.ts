import type { Store } from '../../store/store.js';
import type { AuditState } from '../types.js';
import type { AuditTarget } from '../spec.js';
import { targetById } from './target.js';

/** A Clerk API key's recorded fields: never its secret, hash or sealed copy. */
export function readClerkApiKey(store: Store, workspaceId: string, id: string): AuditState | undefined {
  const key = store.clerkApiKeys.get(workspaceId, id);
  if (!key) return undefined;
  return {
    id: key.id,
    fields: {
      type: key.type,
      subject: key.subject,
      name: key.name,
      description: key.description,
      claims: key.claims,
      scopes: key.scopes,
      revoked: key.revoked,
      revocationReason: key.revocationReason,
      expiration: key.expiration,
      createdBy: key.createdBy,
    },
  };
}

/**
 * A Clerk API key as an audit target: the key of the `:id` path segment, or the one the answer created.
 */
export function clerkApiKeyTarget(input: { id: string }, result: unknown): AuditTarget {
  const created = (result as { id?: unknown } | undefined)?.id;
  const id = input.id !== '' ? input.id : typeof created === 'string' ? created : undefined;
  return targetById('clerk_api_key', readClerkApiKey, id);
}
