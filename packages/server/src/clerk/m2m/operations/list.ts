import { ApiError } from '../../../api-error.js';
import { object, optional, required } from '../../../validation/schema.js';
import { defineMachineOperation } from '../../machine-auth/operation.js';
import { booleanParam, limitParam, machineSubject, offsetParam } from '../fields.js';
import { m2mTokenObject } from '../token-object.js';
import { m2mTokensOf } from '../token-store.js';

/**
 * `{m2m_tokens, total_count}` (the shape `@clerk/backend` reads): the machine's opaque tokens, newest first; revoked
 * and expired ones only when asked. A machine secret key lists its own machine's tokens only (403 for another).
 */
export const listM2MTokensOperation = defineMachineOperation({
  method: 'GET',
  path: '/m2m_tokens',
  accepts: 'either',
  query: object({
    subject: required(machineSubject()),
    revoked: optional(booleanParam()),
    expired: optional(booleanParam()),
    limit: optional(limitParam()),
    offset: optional(offsetParam()),
  }),
  handle({ store, workspaceId, now, caller }, { query }) {
    if (caller.kind === 'machine' && caller.machine.id !== query.subject) {
      throw new ApiError(
        403,
        'INSUFFICIENT_PERMISSIONS',
        'A machine secret key lists the tokens of its own machine only.',
        {
          clerkCode: 'authorization_invalid',
        },
      );
    }
    const { tokens, total } = m2mTokensOf(store).list(
      {
        workspaceId,
        machineId: query.subject,
        includeRevoked: query.revoked === 'true',
        includeExpired: query.expired === 'true',
        now,
      },
      { limit: query.limit ?? 10, offset: query.offset ?? 0 },
    );
    return { m2m_tokens: tokens.map((token) => m2mTokenObject(token, now)), total_count: total };
  },
});
