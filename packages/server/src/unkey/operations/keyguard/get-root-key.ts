import { object } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';

/**
 * keyguard's own: the calling root key's id and permissions. Any root key may read itself, so a verifier can tell
 * whether its key can do more than verify (Unkey's API v2 has no such call).
 */
export const getRootKey = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keyguard.getRootKey',
  body: object({}),
  optionalBody: true,
  handle({ rootKey }) {
    return { data: { rootKeyId: rootKey.id, permissions: [...rootKey.permissions].sort() } };
  },
});
