import type { Db } from '../database.js';
import { prepare } from '../prepare.js';
import type { SqlValue } from '../sqlite/types.js';

/** One stored audit entry; `before`, `after` and `detail` are JSON text. */
export interface AuditRow {
  seq: number;
  workspace_id: string;
  time: number;
  action: string;
  operation: string;
  actor_type: string;
  actor_id: string;
  target_type: string;
  target_id: string | null;
  before: string | null;
  after: string | null;
  detail: string | null;
  status: number;
  error_code: string | null;
  remote_address: string | null;
  user_agent: string | null;
  request_id: string;
}

export type NewAuditRow = Omit<AuditRow, 'seq'>;

/** Which entries of a workspace a page holds, newest first. */
export interface AuditPageQuery {
  limit: number;
  /** The newest `seq` of the page (inclusive). */
  fromSeq?: number;
  /** Unix ms, inclusive. */
  since?: number;
  /** Unix ms, exclusive. */
  until?: number;
  action?: string;
  actorId?: string;
  targetId?: string;
}

const COLUMNS = [
  'workspace_id',
  'time',
  'action',
  'operation',
  'actor_type',
  'actor_id',
  'target_type',
  'target_id',
  'before',
  'after',
  'detail',
  'status',
  'error_code',
  'remote_address',
  'user_agent',
  'request_id',
] as const;

const INSERT = `INSERT INTO audit_log (${COLUMNS.join(', ')}) VALUES (${COLUMNS.map(() => '?').join(', ')}) RETURNING seq`;

/** The `audit_log` table: appended to by management operations, trimmed from its oldest end only. */
export class AuditLogRepository {
  constructor(private readonly db: Db) {}

  /** Appends an entry; answers its `seq` (increasing, never reused). */
  insert(row: NewAuditRow): number {
    return Number(
      prepare(this.db, INSERT)
        .pluck()
        .get(...COLUMNS.map((column) => row[column])),
    );
  }

  /**
   * Deletes the entries older than `minTime` and those more than `maxEntries` behind `newestSeq`. As entries are only
   * ever removed from the oldest end, seqs are contiguous and both deletes are index range seeks, not scans.
   */
  trim(newestSeq: number, maxEntries: number, minTime: number): void {
    prepare(this.db, 'DELETE FROM audit_log WHERE seq <= ?').run(newestSeq - maxEntries);
    prepare(this.db, 'DELETE FROM audit_log WHERE time < ?').run(minTime);
  }

  /** Up to `limit` entries of the workspace, newest first, from `fromSeq` down. */
  page(workspaceId: string, query: AuditPageQuery): AuditRow[] {
    const conditions = ['workspace_id = ?'];
    const parameters: SqlValue[] = [workspaceId];
    const add = (condition: string, value: SqlValue | undefined) => {
      if (value === undefined) return;
      conditions.push(condition);
      parameters.push(value);
    };
    add('seq <= ?', query.fromSeq);
    add('time >= ?', query.since);
    add('time < ?', query.until);
    add('action = ?', query.action);
    add('actor_id = ?', query.actorId);
    add('target_id = ?', query.targetId);
    parameters.push(query.limit);
    const sql = `SELECT * FROM audit_log WHERE ${conditions.join(' AND ')} ORDER BY seq DESC LIMIT ?`;
    return prepare(this.db, sql).all(...parameters) as AuditRow[];
  }

  count(): number {
    return prepare(this.db, 'SELECT COUNT(*) FROM audit_log').pluck().get() as number;
  }
}
