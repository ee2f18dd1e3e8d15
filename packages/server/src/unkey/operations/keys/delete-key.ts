import { findKeyFor } from '../../../domain/keys/find-key.js';
import { keyId } from '../../../validation/rules.js';
import { boolean, object, optional, required } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { keyTarget } from '../../../audit/targets/keys.js';

export const deleteKey = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keys.deleteKey',
  body: object({ keyId: required(keyId()), permanent: optional(boolean()) }),
  audit: {
    action: 'key.delete',
    target: ({ body }) => keyTarget(body.keyId),
    detail: ({ body }) => ({ permanent: body.permanent ?? false }),
  },
  handle({ store, rootKey, now, logger }, { body }) {
    return store.transaction(() => {
      const key = findKeyFor(store, rootKey, body.keyId, 'delete_key');
      if (body.permanent) store.keys.hardDelete(key.id);
      else store.keys.softDelete(key.id, now);
      logger.info('key deleted', { keyId: key.id, permanent: body.permanent ?? false });
      return { data: {} };
    });
  },
});
