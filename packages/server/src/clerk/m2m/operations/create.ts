import { object, optional } from '../../../validation/schema.js';
import { machineKeyInvalid } from '../../machine-auth/caller.js';
import { defineMachineOperation } from '../../machine-auth/operation.js';
import { createM2MToken } from '../create-token.js';
import { m2mClaims, minRemainingTtlSeconds, secondsUntilExpiration, tokenFormat } from '../fields.js';
import { m2mTokenTarget } from '../../../audit/targets/machine-auth.js';

/** 201 with the token (`token`), as Clerk's OpenAPI answers; only a machine secret key may create (Clerk: 401 otherwise). */
export const createM2MTokenOperation = defineMachineOperation({
  method: 'POST',
  path: '/m2m_tokens',
  status: 201,
  accepts: 'machine',
  query: object({}),
  body: object({
    token_format: optional(tokenFormat()),
    seconds_until_expiration: optional(secondsUntilExpiration()),
    claims: optional(m2mClaims()),
    min_remaining_ttl_seconds: optional(minRemainingTtlSeconds()),
  }),
  optionalBody: true,
  audit: {
    action: 'clerk_m2m_token.create',
    target: m2mTokenTarget,
    detail: ({ body }) => ({ format: body.token_format ?? 'opaque' }),
  },
  handle({ store, vault, now, issuer, caller, logger }, { body }) {
    if (caller.kind !== 'machine') throw machineKeyInvalid();
    const token = createM2MToken({ store, vault, now, issuer }, caller.machine, {
      format: body.token_format ?? 'opaque',
      secondsUntilExpiration: body.seconds_until_expiration,
      claims: body.claims,
      minRemainingTtlSeconds: body.min_remaining_ttl_seconds,
    });
    logger.info('clerk m2m token created', {
      id: token.id,
      subject: token.subject,
      format: body.token_format ?? 'opaque',
    });
    return token;
  },
});
