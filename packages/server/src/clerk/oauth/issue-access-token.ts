import { hashKey } from '../../crypto/hash.js';
import { generateKey } from '../../crypto/random.js';
import type { Store } from '../../store/store.js';
import { hexId, objectId } from '../ids.js';
import { oauthAccessTokensOf, type OAuthAccessTokenRecord } from './access-token-repository.js';

/** A day: the lifetime of an access token created without one. */
export const DEFAULT_ACCESS_TOKEN_TTL_SECONDS = 86_400;

/**
 * What an OAuth access token is created with. Clerk mints these in its OAuth flows and has no endpoint to create
 * one; the local service creates them directly (`KeyServer.createOAuthAccessToken`, `keyguard clerk-m2m oauth
 * create`) so that verification can be tested.
 */
export interface OAuthAccessTokenInput {
  /** The user the token acts for (`user_…`). */
  subject: string;
  /** The OAuth application; a new `client_…` id when absent. */
  clientId?: string;
  scopes?: readonly string[];
  /** Seconds; null: never expires; absent: a day. */
  secondsUntilExpiration?: number | null;
}

export interface CreatedOAuthAccessToken {
  token: OAuthAccessTokenRecord;
  /** `oat_…`; stored by hash only, so shown this once. */
  secret: string;
}

export function createOAuthAccessToken(
  store: Store,
  workspaceId: string,
  now: number,
  input: OAuthAccessTokenInput,
): CreatedOAuthAccessToken {
  const seconds =
    input.secondsUntilExpiration === undefined ? DEFAULT_ACCESS_TOKEN_TTL_SECONDS : input.secondsUntilExpiration;
  const token: OAuthAccessTokenRecord = {
    id: hexId('oat'),
    workspaceId,
    clientId: input.clientId ?? objectId('client'),
    subject: input.subject,
    scopes: [...(input.scopes ?? [])],
    revoked: false,
    revocationReason: null,
    expiration: seconds === null ? null : now + Math.round(seconds * 1000),
    createdAt: now,
    updatedAt: now,
  };
  const secret = generateKey(32, 'oat');
  oauthAccessTokensOf(store.db).insert({ ...token, hash: hashKey(secret) });
  return { token, secret };
}
