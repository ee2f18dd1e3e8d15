import type { ClerkSend } from '../connection.js';
import type { M2MToken, RevokeM2MTokenRequest } from '../machine/types.js';
import { m2mTokenPath, toM2MToken } from '../machine/wire.js';
import { changeReporter } from './api-keys.js';

/** Clerk's `m2m_tokens` operations that matter to a verifier's cache. */
export interface ClerkM2MTokens {
  /**
   * `POST /m2m_tokens/{id}/revoke` (`@clerk/backend`'s `m2m.revokeToken`). Emits a key change for `id`, so a
   * verifier given this client stops answering the token from memory at once. A JWT M2M token cannot be revoked.
   */
  revoke(id: string, request?: RevokeM2MTokenRequest): Promise<M2MToken>;
  /** `POST /m2m_tokens/verify`. Never retried after it may have reached Clerk: each verification is billed. */
  verify(request: { token: string }): Promise<M2MToken>;
}

export function createM2MTokensGroup(send: ClerkSend, keyChanged: (keyId: string) => void): ClerkM2MTokens {
  const changing = changeReporter(keyChanged);
  return {
    revoke: (id, request = {}) =>
      changing(
        id,
        send({
          operation: 'm2mTokens.revoke',
          method: 'POST',
          path: m2mTokenPath(id, '/revoke'),
          body: request.revocationReason === undefined ? {} : { revocation_reason: request.revocationReason },
          policy: 'unsent-only',
          parse: toM2MToken,
        }),
      ),
    verify: (request) =>
      send({
        operation: 'm2mTokens.verify',
        method: 'POST',
        path: '/m2m_tokens/verify',
        body: { token: request.token },
        policy: 'unsent-only',
        secrets: [request.token],
        parse: toM2MToken,
      }),
  };
}
