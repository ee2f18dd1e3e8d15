import { table } from '../output.js';

/** One entry as `keyguard.listAuditLogs` answers it (see the server README's "Audit log"). */
export interface AuditEntry {
  id: string;
  time: number;
  action: string;
  operation: string;
  actor: { type: string; id: string };
  target: { type: string; id: string | null };
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  detail?: Record<string, unknown>;
  status: number;
  errorCode?: string;
  remoteAddress: string | null;
  userAgent: string | null;
  requestId: string;
}

/** What changed, in a few words: `created`, `deleted`, the names of the changed fields, or the failure's code. */
export function changeSummary(entry: AuditEntry): string {
  if (entry.errorCode !== undefined) return `failed: ${entry.errorCode}`;
  if (entry.before === null && entry.after !== null) return 'created';
  if (entry.before !== null && entry.after === null) return 'deleted';
  const changed = Object.keys(entry.after ?? {});
  return changed.length > 0 ? changed.join(', ') : 'no change';
}

const cells = (entry: AuditEntry): string[] => [
  new Date(entry.time).toISOString(),
  entry.action,
  entry.actor.id,
  entry.target.id ?? '-',
  String(entry.status),
  entry.remoteAddress ?? '-',
  changeSummary(entry),
];

/** The entries as an aligned table, in the order given. */
export const auditTable = (entries: readonly AuditEntry[]): string =>
  table(['time', 'action', 'actor', 'target', 'status', 'from', 'change'], entries.map(cells));

/** One entry as a line of `--follow` (the table's columns, two spaces apart). */
export const auditLine = (entry: AuditEntry): string => cells(entry).join('  ');

/** The order of entries in the log: the number in their id (`audit_42`). */
export const auditSeq = (id: string): number => Number(id.slice(id.indexOf('_') + 1)) || 0;
