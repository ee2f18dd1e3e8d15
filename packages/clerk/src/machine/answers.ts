import type { ProviderAnswer, VerifiedKey } from '@keyguard/core';
import { isRecord } from '@keyguard/core/service';
import type { ClerkTokenKind } from './token-kind.js';

/** What every machine token's answer is made of, whichever endpoint (or JWT) it came from. */
export interface MachineTokenFacts {
  kind: ClerkTokenKind;
  id: string;
  /** `user_…`, `org_…` or `mch_…`. */
  subject: string;
  name?: string;
  scopes: string[];
  /** Custom claims; become `meta` when they are an object. */
  claims: unknown;
  revoked: boolean;
  expired: boolean;
  /** Unix ms; null: never expires. */
  expiration: number | null;
  /** Extra `meta` fields (an OAuth token's `clientId`), beside the claims. */
  extraMeta?: Record<string, unknown>;
}

/**
 * Turns a machine token Clerk vouched for (or a verified JWT) into a provider answer with its `kind`. A revoked or
 * expired token, or one whose expiration has passed, is invalid.
 */
export function toMachineAnswer(
  facts: MachineTokenFacts,
  requestId: string | undefined,
  now = Date.now(),
): ProviderAnswer {
  const keyId = facts.id || undefined;
  const expiration = facts.expiration ?? undefined;
  if (facts.revoked) return { valid: false, code: 'DISABLED', metered: false, requestId, keyId };
  if (facts.expired || (expiration !== undefined && expiration <= now))
    return { valid: false, code: 'EXPIRED', metered: false, requestId, keyId };
  const key: VerifiedKey = {
    id: facts.id,
    provider: 'clerk',
    kind: facts.kind,
    name: facts.name || undefined,
    identity: { id: facts.subject, externalId: facts.subject, meta: {} },
    permissions: facts.scopes,
    roles: [],
    meta: { ...(isRecord(facts.claims) ? facts.claims : {}), ...facts.extraMeta },
    expires: expiration,
    enabled: true,
  };
  return { valid: true, code: 'VALID', metered: false, requestId, keyId, key };
}
