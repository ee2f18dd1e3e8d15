import type { KeyguardRoutes } from '../keyguard-routes.js';
import type { CliIo } from '../io.js';
import { auditLine, auditSeq, type AuditEntry } from './audit-output.js';

export type AuditFilters = Record<string, string | number>;

/** One page of up to `limit` entries from `cursor`, newest first, and where the next page starts. */
export async function auditPage(
  routes: KeyguardRoutes,
  filters: AuditFilters,
  limit: number,
  cursor?: string,
): Promise<{ entries: AuditEntry[]; next: string | undefined }> {
  const { data, pagination } = await routes.page<AuditEntry[]>('listAuditLogs', {
    ...filters,
    limit,
    ...(cursor !== undefined ? { cursor } : {}),
  });
  return { entries: data, next: pagination?.hasMore ? pagination.cursor : undefined };
}

/** Every entry newer than `after` (by its place in the log), oldest first. */
async function newerThan(routes: KeyguardRoutes, filters: AuditFilters, after: number): Promise<AuditEntry[]> {
  const newer: AuditEntry[] = [];
  let cursor: string | undefined;
  for (;;) {
    const { entries, next } = await auditPage(routes, filters, 100, cursor);
    const fresh = entries.filter((entry) => auditSeq(entry.id) > after);
    newer.push(...fresh);
    if (fresh.length < entries.length || next === undefined) return newer.reverse();
    cursor = next;
  }
}

const pause = (ms: number, signal: AbortSignal | undefined) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
  });

/**
 * `keyguard audit --follow`: asks every `intervalMs` for the entries written since the last one printed and prints
 * them oldest first (a line each, or a JSON line each), until the shutdown signal (Ctrl-C).
 */
export async function followAudit(
  io: CliIo,
  routes: KeyguardRoutes,
  options: { filters: AuditFilters; json: boolean; intervalMs: number; after: number },
): Promise<void> {
  let after = options.after;
  for (;;) {
    await pause(options.intervalMs, io.shutdown);
    if (io.shutdown?.aborted) return;
    for (const entry of await newerThan(routes, options.filters, after)) {
      io.stdout(options.json ? `${JSON.stringify(entry)}\n` : `${auditLine(entry)}\n`);
      after = auditSeq(entry.id);
    }
  }
}
