import { requireAny } from '../../auth/permissions.js';
import { creditCount, ratelimitDuration } from '../../validation/rules.js';
import { object, optional, required, string } from '../../validation/schema.js';
import { defineEndpoint } from '../endpoint.js';

/** Standalone rate limiting: `{namespace, identifier, limit, duration, cost?}` → `{limit, remaining, reset, success}`. */
export const limit = defineEndpoint({
  operation: 'ratelimit.limit',
  body: object({
    namespace: required(string({ min: 1, max: 255, pattern: /^[a-zA-Z0-9_.:\-/]+$/, patternText: 'use letters, digits, "_", ".", ":", "-" and "/"' })),
    identifier: required(string({ min: 1, max: 255 })),
    limit: required(creditCount(1)),
    duration: required(ratelimitDuration()),
    cost: optional(creditCount()),
  }),
  handle({ store, rootKey, now }, body) {
    requireAny(rootKey, ['ratelimit.*.limit', `ratelimit.${body.namespace}.limit`]);
    const bucket = `ns:${rootKey.workspaceId}:${body.namespace}:${body.identifier}`;
    const outcome = store.transaction(() => store.windows.consume(bucket, body.limit, body.duration, body.cost ?? 1, now));
    return { data: { limit: outcome.limit, remaining: outcome.remaining, reset: outcome.reset, success: outcome.success } };
  },
});
