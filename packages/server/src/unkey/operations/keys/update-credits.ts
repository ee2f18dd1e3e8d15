import { applyRefill } from '../../../domain/credits/apply-refill.js';
import { badRequest } from '../../../api-error.js';
import { creditsData } from '../../../domain/keys/key-response.js';
import { findKeyFor } from '../../../domain/keys/find-key.js';
import { creditCount, keyId } from '../../../validation/rules.js';
import { nullable, object, oneOf, optional, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { keyTarget } from '../../../audit/targets/keys.js';

/** `set` (a number, or null for unlimited), `increment`, `decrement` (never below 0). */
export const updateCredits = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keys.updateCredits',
  body: object({
    keyId: required(keyId()),
    operation: required(oneOf(['set', 'increment', 'decrement'] as const)),
    value: optional(nullable(creditCount())),
  }),
  audit: { action: 'key.update_credits', target: ({ body }) => keyTarget(body.keyId) },
  handle({ store, rootKey, now }, { body }) {
    if (body.operation !== 'set' && (body.value === undefined || body.value === null)) {
      throw badRequest(`body.value is required for operation "${body.operation}".`, [
        {
          location: 'body.value',
          message: `is required for "${body.operation}"`,
          fix: 'send a whole number of credits',
        },
      ]);
    }
    if (body.operation === 'set' && body.value === undefined) {
      throw badRequest('body.value is required for operation "set".', [
        {
          location: 'body.value',
          message: 'is required for "set"',
          fix: 'send a whole number, or null for unlimited credits',
        },
      ]);
    }
    return store.transaction(() => {
      const key = applyRefill(store, findKeyFor(store, rootKey, body.keyId, 'update_key'), now);
      const value = body.value ?? null;
      let remaining: number | null;
      if (body.operation === 'set') remaining = value;
      else if (key.creditsRemaining === null) {
        throw badRequest(`The key has unlimited credits; ${body.operation} needs a number of credits to start from.`, [
          { location: 'body.operation', message: 'cannot change unlimited credits', fix: 'use operation "set" first' },
        ]);
      } else if (body.operation === 'increment')
        remaining = Math.min(key.creditsRemaining + (value as number), Number.MAX_SAFE_INTEGER);
      else remaining = Math.max(0, key.creditsRemaining - (value as number));
      if (remaining === null) store.keys.update(key.id, { creditsRemaining: null, refill: null }, now);
      else store.keys.update(key.id, { creditsRemaining: remaining }, now);
      const updated = { ...key, creditsRemaining: remaining, refill: remaining === null ? null : key.refill };
      return { data: creditsData(updated) ?? { remaining: null } };
    });
  },
});
