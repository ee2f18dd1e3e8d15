import { readJsonObjectColumn } from '../store/json-column.js';
import type { AuditRow } from '../store/repositories/audit-log.js';
import type { AuditLogEntry } from './types.js';

const ID_PREFIX = 'audit_';

/** An entry's public id: its place in the log, so ids sort as entries were written. */
export const auditEntryId = (seq: number): string => `${ID_PREFIX}${seq}`;

/** The `seq` of an entry id, or `undefined` when it is not one. */
export function auditEntrySeq(id: string): number | undefined {
  if (!id.startsWith(ID_PREFIX)) return undefined;
  const digits = id.slice(ID_PREFIX.length);
  const seq = Number(digits);
  return /^[1-9][0-9]{0,15}$/.test(digits) && Number.isSafeInteger(seq) ? seq : undefined;
}

/** A stored row as `keyguard.listAuditLogs` answers it. */
export function toAuditLogEntry(row: AuditRow): AuditLogEntry {
  const detail = readJsonObjectColumn(row.detail);
  return {
    id: auditEntryId(row.seq),
    time: row.time,
    action: row.action,
    operation: row.operation,
    actor: { type: row.actor_type, id: row.actor_id },
    target: { type: row.target_type, id: row.target_id },
    before: readJsonObjectColumn(row.before),
    after: readJsonObjectColumn(row.after),
    ...(detail ? { detail } : {}),
    status: row.status,
    ...(row.error_code !== null ? { errorCode: row.error_code } : {}),
    remoteAddress: row.remote_address,
    userAgent: row.user_agent,
    requestId: row.request_id,
  };
}
