import type { Db } from '../store/database.js';
import type { Store } from '../store/store.js';
import { DEFAULT_AUDIT_RETENTION } from './retention.js';
import { toJsonColumn } from '../store/json-column.js';
import { AuditLogRepository } from '../store/repositories/audit-log.js';
import type { AuditRecord, AuditRetention, AuditSink } from './types.js';

/**
 * The audit log of one database: appends an entry and trims by the retention bound in the same breath, so the table
 * never holds more than `maxEntries` rows nor a row older than `maxAgeMs` once a newer one is written. Written
 * inside the operation's transaction when there is one: an entry exists exactly when its change does.
 */
export class AuditLog implements AuditSink {
  private readonly entries: AuditLogRepository;

  constructor(
    db: Db,
    private readonly retention: AuditRetention,
  ) {
    this.entries = new AuditLogRepository(db);
  }

  record(entry: AuditRecord): void {
    const seq = this.entries.insert({
      workspace_id: entry.workspaceId,
      time: entry.time,
      action: entry.action,
      operation: entry.operation,
      actor_type: entry.actor.type,
      actor_id: entry.actor.id,
      target_type: entry.target.type,
      target_id: entry.target.id,
      before: toJsonColumn(entry.before),
      after: toJsonColumn(entry.after),
      detail: toJsonColumn(entry.detail),
      status: entry.status,
      error_code: entry.errorCode,
      remote_address: entry.origin.remoteAddress,
      user_agent: entry.origin.userAgent,
      request_id: entry.requestId,
    });
    this.entries.trim(seq, this.retention.maxEntries, entry.time - this.retention.maxAgeMs);
  }
}

const logs = new WeakMap<Db, AuditLog>();

/**
 * The audit log of the store's database, made on first use with the default retention unless `configureAuditLog`
 * set another: one per database, however many handlers serve it.
 */
export function auditLogOf(store: Store): AuditLog {
  let log = logs.get(store.db);
  if (!log) logs.set(store.db, (log = new AuditLog(store.db, DEFAULT_AUDIT_RETENTION)));
  return log;
}

/** Sets the retention of the store's audit log (`createKeyServer`'s `auditMaxEntries`, `auditMaxAgeMs`). */
export function configureAuditLog(store: Store, retention: AuditRetention): void {
  logs.set(store.db, new AuditLog(store.db, retention));
}
