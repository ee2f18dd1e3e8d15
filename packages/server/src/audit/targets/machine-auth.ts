import type { M2MTokenObject } from '../../clerk/m2m/token-object.js';
import { m2mTokensOf } from '../../clerk/m2m/token-store.js';
import { machinesOf } from '../../clerk/machines/machine-store.js';
import { oauthAccessTokensOf } from '../../clerk/oauth/access-token-repository.js';
import type { Store } from '../../store/store.js';
import type { AuditTarget } from '../spec.js';
import type { AuditState } from '../types.js';
import { targetById } from './target.js';

/**
 * A Clerk machine's recorded fields: its scopes by machine id and its secret keys by id with their expiry (a
 * rotation shows there), never a secret key, its hash or its sealed copy.
 */
export function readMachine(store: Store, workspaceId: string, id: string): AuditState | undefined {
  const machines = machinesOf(store);
  const machine = machines.get(workspaceId, id);
  if (!machine) return undefined;
  return {
    id: machine.id,
    fields: {
      name: machine.name,
      defaultTokenTtl: machine.defaultTokenTtl,
      scopedMachines: machines.scopedMachines(machine.id).map((scoped) => scoped.id),
      secretKeys: machines.secretKeys(machine.id),
    },
  };
}

type M2MTokenFields = Pick<M2MTokenObject, 'subject' | 'scopes' | 'claims' | 'revoked' | 'expiration'> & {
  revocationReason: string | null;
};

const m2mFields = (token: M2MTokenFields): Record<string, unknown> => ({
  subject: token.subject,
  scopes: token.scopes,
  claims: token.claims,
  revoked: token.revoked,
  revocationReason: token.revocationReason,
  expiration: token.expiration,
});

/** A stored (opaque) M2M token's recorded fields: never the token, its hash or its sealed copy. */
export function readM2MToken(store: Store, workspaceId: string, id: string): AuditState | undefined {
  const token = m2mTokensOf(store).get(workspaceId, id);
  return token && { id: token.id, fields: m2mFields({ ...token, subject: token.machineId }) };
}

/** An OAuth access token's recorded fields: never the token or its hash. */
export function readOAuthAccessToken(store: Store, workspaceId: string, id: string): AuditState | undefined {
  const token = oauthAccessTokensOf(store.db).get(workspaceId, id);
  if (!token) return undefined;
  const { clientId, subject, scopes, revoked, revocationReason, expiration } = token;
  return { id: token.id, fields: { clientId, subject, scopes, revoked, revocationReason, expiration } };
}

/** The id of what the answer created (`id` of Clerk's objects), or `undefined`. */
const answeredId = (result: unknown): string | undefined => {
  const id = (result as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
};

/** A machine as an audit target: the one of the `:id` path segment, or the one the answer created. */
export const machineTarget = (input: { id: string }, result: unknown): AuditTarget =>
  targetById('clerk_machine', readMachine, input.id !== '' ? input.id : answeredId(result));

/** An OAuth access token as an audit target, likewise. */
export const oauthAccessTokenTarget = (input: { id: string }, result: unknown): AuditTarget =>
  targetById('clerk_oauth_access_token', readOAuthAccessToken, input.id !== '' ? input.id : answeredId(result));

/**
 * An M2M token as an audit target, likewise. A JWT is not stored (as at Clerk), so a created one is recorded from
 * the answer, without the token.
 */
export function m2mTokenTarget(input: { id: string }, result: unknown): AuditTarget {
  const stored = targetById('clerk_m2m_token', readM2MToken, input.id !== '' ? input.id : answeredId(result));
  const created = result as M2MTokenObject | undefined;
  if (input.id !== '' || created === undefined) return stored;
  return {
    ...stored,
    read: (store, workspaceId) =>
      stored.read(store, workspaceId) ?? {
        id: created.id,
        fields: m2mFields({ ...created, revocationReason: created.revocation_reason }),
      },
  };
}
