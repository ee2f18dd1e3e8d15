import type { Db } from '../database.js';
import { memoFor } from '../memo.js';
import { prepare } from '../prepare.js';
import type { SqlValue } from '../sqlite/types.js';
import { readJsonObjectColumn, toJsonColumn } from '../json-column.js';
import type { KeyRecord, RefillInterval } from '../types.js';

interface KeyRow {
  id: string;
  workspace_id: string;
  api_id: string;
  start: string;
  name: string | null;
  identity_id: string | null;
  meta: string | null;
  expires: number | null;
  enabled: number;
  credits_remaining: number | null;
  refill_interval: string | null;
  refill_amount: number | null;
  refill_day: number | null;
  last_refill_at: number | null;
  encrypted: string | null;
  created_at: number;
  updated_at: number | null;
  last_used_at: number | null;
}

const toKey = (row: KeyRow): KeyRecord => ({
  id: row.id,
  workspaceId: row.workspace_id,
  apiId: row.api_id,
  start: row.start,
  name: row.name,
  identityId: row.identity_id,
  meta: readJsonObjectColumn(row.meta),
  expires: row.expires,
  enabled: row.enabled === 1,
  creditsRemaining: row.credits_remaining,
  refill:
    row.refill_interval && row.refill_amount !== null
      ? { interval: row.refill_interval as RefillInterval, amount: row.refill_amount, refillDay: row.refill_day }
      : null,
  lastRefillAt: row.last_refill_at,
  encrypted: row.encrypted,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
  lastUsedAt: row.last_used_at,
});

/** Columns of a live key: not deleted, and its API not deleted either. */
const LIVE = 'k.deleted_at IS NULL AND EXISTS (SELECT 1 FROM apis a WHERE a.id = k.api_id AND a.deleted_at IS NULL)';

/**
 * A key as inserted: the record less what only later events set (a refill happens at creation when the key has
 * one, an update, a use), plus the hash of its plaintext.
 */
export type NewKey = Omit<KeyRecord, 'lastRefillAt' | 'updatedAt' | 'lastUsedAt'> & { hash: string };

/** Fields `keys.updateKey` may change; `undefined` leaves a column as it is. */
export type KeyChanges = Partial<
  Pick<KeyRecord, 'name' | 'identityId' | 'meta' | 'expires' | 'enabled' | 'creditsRemaining' | 'refill'>
>;

export class KeyRepository {
  /** The API of a live key, asked on every verification while the dashboard's live feed is open. */
  private readonly apis;

  constructor(private readonly db: Db) {
    this.apis = memoFor<string | undefined>(db, 10_000);
  }

  insert(key: NewKey): void {
    prepare(
      this.db,
      `INSERT INTO keys (id, workspace_id, api_id, hash, start, name, identity_id, meta, expires, enabled, credits_remaining,
           refill_interval, refill_amount, refill_day, last_refill_at, encrypted, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      key.id,
      key.workspaceId,
      key.apiId,
      key.hash,
      key.start,
      key.name,
      key.identityId,
      toJsonColumn(key.meta),
      key.expires,
      key.enabled ? 1 : 0,
      key.creditsRemaining,
      key.refill?.interval ?? null,
      key.refill?.amount ?? null,
      key.refill?.refillDay ?? null,
      key.refill ? key.createdAt : null,
      key.encrypted,
      key.createdAt,
    );
  }

  /** A live key by the hash of its plaintext. */
  findByHash(hash: string): KeyRecord | undefined {
    const row = prepare(this.db, `SELECT k.* FROM keys k WHERE k.hash = ? AND ${LIVE}`).get(hash) as KeyRow | undefined;
    return row && toKey(row);
  }

  /** A live key of the workspace by id. */
  get(workspaceId: string, id: string): KeyRecord | undefined {
    const row = prepare(this.db, `SELECT k.* FROM keys k WHERE k.id = ? AND k.workspace_id = ? AND ${LIVE}`).get(
      id,
      workspaceId,
    ) as KeyRow | undefined;
    return row && toKey(row);
  }

  /** The API of the live key `id` of the workspace; remembered until the keys or APIs change (store/memo.ts). */
  apiIdOf(workspaceId: string, id: string): string | undefined {
    return this.apis.get(`${workspaceId}/${id}`, () => this.get(workspaceId, id)?.apiId);
  }

  /** Up to `limit` live keys of an API ordered by id, starting at `cursor` (inclusive). */
  listByApi(apiId: string, options: { limit: number; cursor?: string; identityId?: string }): KeyRecord[] {
    const conditions = ['k.api_id = ?', 'k.deleted_at IS NULL'];
    const parameters: SqlValue[] = [apiId];
    if (options.cursor !== undefined) {
      conditions.push('k.id >= ?');
      parameters.push(options.cursor);
    }
    if (options.identityId !== undefined) {
      conditions.push('k.identity_id = ?');
      parameters.push(options.identityId);
    }
    parameters.push(options.limit);
    const rows = prepare(this.db, `SELECT k.* FROM keys k WHERE ${conditions.join(' AND ')} ORDER BY k.id LIMIT ?`).all(
      ...parameters,
    ) as KeyRow[];
    return rows.map(toKey);
  }

  update(id: string, changes: KeyChanges, now: number): void {
    const sets: string[] = ['updated_at = ?'];
    const values: SqlValue[] = [now];
    const set = (column: string, value: SqlValue) => {
      sets.push(`${column} = ?`);
      values.push(value);
    };
    if (changes.name !== undefined) set('name', changes.name);
    if (changes.identityId !== undefined) set('identity_id', changes.identityId);
    if (changes.meta !== undefined) set('meta', toJsonColumn(changes.meta));
    if (changes.expires !== undefined) set('expires', changes.expires);
    if (changes.enabled !== undefined) set('enabled', changes.enabled ? 1 : 0);
    if (changes.creditsRemaining !== undefined) set('credits_remaining', changes.creditsRemaining);
    if (changes.refill !== undefined) {
      set('refill_interval', changes.refill?.interval ?? null);
      set('refill_amount', changes.refill?.amount ?? null);
      set('refill_day', changes.refill?.refillDay ?? null);
      set('last_refill_at', changes.refill ? now : null);
    }
    values.push(id);
    prepare(this.db, `UPDATE keys SET ${sets.join(', ')} WHERE id = ?`).run(...values);
  }

  /** Sets the remaining credits (and, when given, the time of the last refill) without touching updated_at. */
  setCredits(id: string, remaining: number | null, lastRefillAt?: number): void {
    if (lastRefillAt === undefined)
      prepare(this.db, 'UPDATE keys SET credits_remaining = ? WHERE id = ?').run(remaining, id);
    else
      prepare(this.db, 'UPDATE keys SET credits_remaining = ?, last_refill_at = ? WHERE id = ?').run(
        remaining,
        lastRefillAt,
        id,
      );
  }

  touchLastUsed(id: string, now: number): void {
    prepare(this.db, 'UPDATE keys SET last_used_at = ? WHERE id = ?').run(now, id);
  }

  softDelete(id: string, now: number): void {
    prepare(this.db, 'UPDATE keys SET deleted_at = ? WHERE id = ?').run(now, id);
  }

  hardDelete(id: string): void {
    prepare(this.db, 'DELETE FROM keys WHERE id = ?').run(id);
  }
}
