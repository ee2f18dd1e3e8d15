import { badRequest } from '../../../api-error.js';
import { auditEntryId, auditEntrySeq, toAuditLogEntry } from '../../../audit/entry.js';
import { AUDIT_READ_PERMISSION, requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { AuditLogRepository } from '../../../store/repositories/audit-log.js';
import { unixMs } from '../../../validation/rules.js';
import { integer, object, optional, string } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { paginate } from '../../paginate.js';

function seqOf(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const seq = auditEntrySeq(cursor);
  if (seq === undefined)
    throw badRequest('The cursor is not one this operation answered.', [
      {
        location: 'body.cursor',
        message: 'is not an audit entry id',
        fix: 'pass pagination.cursor of a previous page',
      },
    ]);
  return seq;
}

/**
 * keyguard's own: the workspace's audit log, newest first, filtered by time (`since` inclusive, `until` exclusive),
 * action, actor (a root key or Clerk secret key id) and target id. Needs `audit.*.read_audit_log` (or `*`): the log
 * shows what every root key of the workspace did.
 */
export const listAuditLogs = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/keyguard.listAuditLogs',
  body: object({
    limit: optional(integer({ min: 1, max: 100 })),
    cursor: optional(string({ min: 1, max: 64 })),
    since: optional(unixMs()),
    until: optional(unixMs()),
    action: optional(string({ min: 1, max: 64 })),
    actorId: optional(string({ min: 1, max: 255 })),
    targetId: optional(string({ min: 1, max: 1024 })),
  }),
  optionalBody: true,
  handle({ store, rootKey }, { body }) {
    requireAny(rootKey, ['*', AUDIT_READ_PERMISSION]);
    const limit = body.limit ?? 100;
    const rows = new AuditLogRepository(store.db).page(rootKey.workspaceId, {
      ...{ limit: limit + 1, fromSeq: seqOf(body.cursor), since: body.since, until: body.until },
      ...{ action: body.action, actorId: body.actorId, targetId: body.targetId },
    });
    const { page, pagination } = paginate(rows, limit, (row) => auditEntryId(row.seq));
    return { data: page.map(toAuditLogEntry), pagination };
  },
});
