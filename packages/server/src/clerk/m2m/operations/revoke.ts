import { ApiError } from '../../../api-error.js';
import { object, optional } from '../../../validation/schema.js';
import { defineMachineOperation } from '../../machine-auth/operation.js';
import { revocationReason } from '../fields.js';
import { m2mTokenObject } from '../token-object.js';
import { m2mTokensOf } from '../token-store.js';
import { m2mTokenTarget } from '../../../audit/targets/machine-auth.js';

const tokenNotFound = () =>
  new ApiError(404, 'KEY_NOT_FOUND', 'No M2M token was found with this id.', { clerkCode: 'resource_not_found' });

/**
 * Revokes an opaque token at once (a JWT is not stored: 404). A machine secret key revokes its own machine's tokens
 * only; revoking a revoked token keeps its first reason and answers it again.
 */
export const revokeM2MTokenOperation = defineMachineOperation({
  method: 'POST',
  path: '/m2m_tokens/:id/revoke',
  accepts: 'either',
  query: object({}),
  body: object({ revocation_reason: optional(revocationReason()) }),
  optionalBody: true,
  audit: { action: 'clerk_m2m_token.revoke', target: m2mTokenTarget },
  handle({ store, workspaceId, now, caller, logger }, { id, body }) {
    return store.transaction(() => {
      const tokens = m2mTokensOf(store);
      const token = tokens.get(workspaceId, id);
      if (!token || (caller.kind === 'machine' && caller.machine.id !== token.machineId)) throw tokenNotFound();
      if (!token.revoked) {
        tokens.revoke(token.id, body.revocation_reason ?? null, now);
        logger.info('clerk m2m token revoked', { id: token.id });
      }
      return m2mTokenObject(tokens.get(workspaceId, id) ?? token, now);
    });
  },
});
