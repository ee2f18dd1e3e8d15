import type { AuditRetention } from './types.js';

/** The newest 10,000 entries of the last 30 days: a few MB of SQLite, a month of a busy workspace's changes. */
export const DEFAULT_AUDIT_RETENTION: AuditRetention = { maxEntries: 10_000, maxAgeMs: 30 * 24 * 60 * 60 * 1000 };
