import { newId } from '../../crypto/random.js';
import type { Db } from '../database.js';
import { prepare } from '../prepare.js';

export interface RatelimitOverrideRecord {
  id: string;
  identifier: string;
  limit: number;
  duration: number;
}

const COLUMNS = 'id, identifier, "limit", duration';

/** Per-identifier limits of a namespace; `identifier` may be a pattern with `*` wildcards. */
export class RatelimitOverrideRepository {
  constructor(private readonly db: Db) {}

  /** The override with exactly this identifier (pattern), if any. */
  find(namespaceId: string, identifier: string): RatelimitOverrideRecord | undefined {
    return prepare(this.db, `SELECT ${COLUMNS} FROM ratelimit_overrides WHERE namespace_id = ? AND identifier = ?`).get(
      namespaceId,
      identifier,
    ) as RatelimitOverrideRecord | undefined;
  }

  /** Creates the override or replaces the limit of the one with the same identifier; its id stays. */
  set(
    workspaceId: string,
    namespaceId: string,
    override: Omit<RatelimitOverrideRecord, 'id'>,
    now: number,
  ): RatelimitOverrideRecord {
    const existing = this.find(namespaceId, override.identifier);
    if (existing) {
      prepare(this.db, 'UPDATE ratelimit_overrides SET "limit" = ?, duration = ?, updated_at = ? WHERE id = ?').run(
        override.limit,
        override.duration,
        now,
        existing.id,
      );
      return { ...override, id: existing.id };
    }
    const id = newId('rlor', now);
    prepare(
      this.db,
      'INSERT INTO ratelimit_overrides (id, workspace_id, namespace_id, identifier, "limit", duration, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
    ).run(id, workspaceId, namespaceId, override.identifier, override.limit, override.duration, now);
    return { ...override, id };
  }

  /** Up to `limit` overrides of the namespace ordered by id, from `cursor` (inclusive). */
  list(namespaceId: string, options: { limit: number; cursor?: string }): RatelimitOverrideRecord[] {
    if (options.cursor === undefined) {
      return prepare(
        this.db,
        `SELECT ${COLUMNS} FROM ratelimit_overrides WHERE namespace_id = ? ORDER BY id LIMIT ?`,
      ).all(namespaceId, options.limit) as RatelimitOverrideRecord[];
    }
    return prepare(
      this.db,
      `SELECT ${COLUMNS} FROM ratelimit_overrides WHERE namespace_id = ? AND id >= ? ORDER BY id LIMIT ?`,
    ).all(namespaceId, options.cursor, options.limit) as RatelimitOverrideRecord[];
  }

  /** The overrides whose identifier has a wildcard, oldest first. */
  wildcards(namespaceId: string): RatelimitOverrideRecord[] {
    return prepare(
      this.db,
      `SELECT ${COLUMNS} FROM ratelimit_overrides WHERE namespace_id = ? AND instr(identifier, '*') > 0 ORDER BY id`,
    ).all(namespaceId) as RatelimitOverrideRecord[];
  }

  delete(id: string): void {
    prepare(this.db, 'DELETE FROM ratelimit_overrides WHERE id = ?').run(id);
  }
}
