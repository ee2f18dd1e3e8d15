import type { Store } from '../../store/store.js';
import type { AuditState } from '../types.js';
import type { AuditTarget } from '../spec.js';
import { targetById } from './target.js';

/**
 * A live key's recorded fields: what a management operation can change, never its hash, its sealed plaintext or
 * its first characters (`recoverable` says only whether a sealed copy exists).
 */
export function readKey(store: Store, workspaceId: string, keyId: string): AuditState | undefined {
  const key = store.keys.get(workspaceId, keyId);
  if (!key) return undefined;
  const identity = key.identityId === null ? undefined : store.identities.get(key.identityId);
  return {
    id: key.id,
    fields: {
      apiId: key.apiId,
      name: key.name,
      externalId: identity?.externalId ?? null,
      meta: key.meta,
      expires: key.expires,
      enabled: key.enabled,
      credits: key.creditsRemaining,
      refill: key.refill,
      ratelimits: store.ratelimits
        .forKey(key.id)
        .map(({ name, limit, duration, autoApply }) => ({ name, limit, duration, autoApply })),
      permissions: store.keyAccess.directPermissions(key.id),
      roles: store.keyAccess.roles(key.id),
      recoverable: key.encrypted !== null,
    },
  };
}

/** A key of Unkey's API as an audit target. */
export const keyTarget = (keyId: string | undefined): AuditTarget => targetById('key', readKey, keyId);
