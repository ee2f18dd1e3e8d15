import { parsePermissionQuery, PermissionQuerySyntaxError, type PermissionQuery } from '@keyguard/core';
import { requireOnSomeApi } from '../../../domain/permissions/root-key-permissions.js';
import { badRequest } from '../../../api-error.js';
import { assertNoIssues } from '../../../validation/assert.js';
import type { ValidationIssue } from '../../../validation/issues.js';
import { creditCount, ratelimitDuration } from '../../../validation/rules.js';
import { array, object, optional, required, string } from '../../../validation/schema.js';
import { verifyKey as verify } from '../../../domain/keys/verify.js';
import { verificationAnswered } from '../../../observability/verification-outcomes.js';
import { defineUnkeyOperation } from '../../operation.js';

function parseQuery(text: string | undefined): PermissionQuery | undefined {
  if (text === undefined) return undefined;
  try {
    return parsePermissionQuery(text);
  } catch (error) {
    if (!(error instanceof PermissionQuerySyntaxError)) throw error;
    throw badRequest(
      `The permissions query is invalid: ${error.message}`,
      [
        {
          location: 'body.permissions',
          message: error.message,
          fix: 'use permission names joined by AND / OR, with parentheses',
        },
      ],
      'PERMISSIONS_QUERY_SYNTAX_ERROR',
    );
  }
}

export const verifyKey = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keys.verifyKey',
  body: object({
    key: required(string({ min: 1, max: 512 })),
    tags: optional(array(string({ min: 1, max: 512 }), { max: 20 })),
    permissions: optional(string({ min: 1, max: 1000 })),
    credits: optional(object({ cost: required(creditCount()) })),
    ratelimits: optional(
      array(
        object({
          name: required(string({ min: 3, max: 255 })),
          cost: optional(creditCount()),
          limit: optional(creditCount(1)),
          duration: optional(ratelimitDuration()),
        }),
        { max: 100 },
      ),
    ),
    migrationId: optional(string({ min: 1, max: 256 })),
  }),
  handle({ store, rootKey, now }, { body }) {
    const issues: ValidationIssue[] = [];
    body.ratelimits?.forEach((limit, index) => {
      if ((limit.limit === undefined) !== (limit.duration === undefined)) {
        issues.push({
          location: `body.ratelimits[${index}]`,
          message: 'limit and duration go together',
          fix: 'send both limit and duration, or neither',
        });
      }
    });
    assertNoIssues(issues);
    requireOnSomeApi(rootKey, 'verify_key');
    const query = parseQuery(body.permissions);
    const data = verify(store, rootKey, body, query, now);
    verificationAnswered(store, 'unkey', data.code, data, rootKey.workspaceId, body.permissions);
    return { data };
  },
});
