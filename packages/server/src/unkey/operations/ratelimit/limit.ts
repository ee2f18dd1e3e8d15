import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { creditCount, ratelimitDuration } from '../../../validation/rules.js';
import { object, optional, required, string } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { matchOverride } from '../../../domain/ratelimits/match-override.js';

/**
 * Standalone rate limiting: `{namespace, identifier, limit, duration, cost?}` → `{limit, remaining, reset, success,
 * overrideId?}`. The namespace (name or id) is created on first use, which needs `ratelimit.*.create_namespace`; an
 * override matching the identifier replaces the request's limit and duration.
 */
export const limit = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/ratelimit.limit',
  body: object({
    namespace: required(
      string({
        min: 1,
        max: 255,
        pattern: /^[a-zA-Z0-9_.:\-/]+$/,
        patternText: 'use letters, digits, "_", ".", ":", "-" and "/"',
      }),
    ),
    identifier: required(string({ min: 1, max: 255 })),
    limit: required(creditCount(1)),
    duration: required(ratelimitDuration()),
    cost: optional(creditCount()),
  }),
  handle({ store, rootKey, now }, { body }) {
    return store.transaction(() => {
      let namespace = store.ratelimitNamespaces.find(rootKey.workspaceId, body.namespace);
      if (!namespace) {
        requireAny(rootKey, ['ratelimit.*.create_namespace']);
        namespace = store.ratelimitNamespaces.create(rootKey.workspaceId, body.namespace, now);
      }
      requireAny(rootKey, [
        'ratelimit.*.limit',
        `ratelimit.${namespace.id}.limit`,
        `ratelimit.${namespace.name}.limit`,
      ]);
      const override = matchOverride(store, namespace.id, body.identifier);
      const bucket = `ns:${namespace.id}:${body.identifier}`;
      const outcome = store.windows.consume(
        bucket,
        override?.limit ?? body.limit,
        override?.duration ?? body.duration,
        body.cost ?? 1,
        now,
      );
      return {
        data: {
          limit: outcome.limit,
          remaining: outcome.remaining,
          reset: outcome.reset,
          success: outcome.success,
          ...(override ? { overrideId: override.id } : {}),
        },
      };
    });
  },
});
