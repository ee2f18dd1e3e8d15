import { newId } from '../../crypto/random.js';
import type { Db } from '../database.js';
import { prepare } from '../prepare.js';
import { readJsonObjectColumn, toJsonColumn } from '../json-column.js';
import type { IdentityRecord } from '../types.js';
import { pageQuery, type PageOptions } from '../page-query.js';

interface IdentityRow {
  id: string;
  workspace_id: string;
  external_id: string;
  meta: string | null;
}

const toIdentity = (row: IdentityRow): IdentityRecord => ({
  id: row.id,
  workspaceId: row.workspace_id,
  externalId: row.external_id,
  meta: readJsonObjectColumn(row.meta),
});

export class IdentityRepository {
  constructor(private readonly db: Db) {}

  get(id: string): IdentityRecord | undefined {
    const row = prepare(this.db, 'SELECT * FROM identities WHERE id = ?').get(id) as IdentityRow | undefined;
    return row && toIdentity(row);
  }

  findByExternalId(workspaceId: string, externalId: string): IdentityRecord | undefined {
    const row = prepare(this.db, 'SELECT * FROM identities WHERE workspace_id = ? AND external_id = ?').get(
      workspaceId,
      externalId,
    ) as IdentityRow | undefined;
    return row && toIdentity(row);
  }

  /** The identity with this external id, created on first use (as `keys.createKey` does). */
  findOrCreate(workspaceId: string, externalId: string, now: number): IdentityRecord {
    const existing = this.findByExternalId(workspaceId, externalId);
    if (existing) return existing;
    const id = newId('id', now);
    prepare(this.db, 'INSERT INTO identities (id, workspace_id, external_id, created_at) VALUES (?, ?, ?, ?)').run(
      id,
      workspaceId,
      externalId,
      now,
    );
    return { id, workspaceId, externalId, meta: null };
  }

  /** By id (`id_…`) or external id, within the workspace. */
  find(workspaceId: string, identity: string): IdentityRecord | undefined {
    const row = prepare(
      this.db,
      'SELECT * FROM identities WHERE workspace_id = ? AND (id = ? OR external_id = ?) ORDER BY id = ? DESC LIMIT 1',
    ).get(workspaceId, identity, identity, identity) as IdentityRow | undefined;
    return row && toIdentity(row);
  }

  create(workspaceId: string, externalId: string, meta: Record<string, unknown> | null, now: number): IdentityRecord {
    const id = newId('id', now);
    prepare(
      this.db,
      'INSERT INTO identities (id, workspace_id, external_id, meta, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(id, workspaceId, externalId, toJsonColumn(meta), now);
    return { id, workspaceId, externalId, meta };
  }

  /** Up to `limit` identities ordered by id from `cursor` (inclusive); `search` is a case-insensitive substring of id or external id. */
  list(workspaceId: string, options: PageOptions): IdentityRecord[] {
    const { where, parameters } = pageQuery(workspaceId, options, ['id', 'external_id']);
    const rows = prepare(this.db, `SELECT * FROM identities WHERE ${where} ORDER BY id LIMIT ?`).all(
      ...parameters,
    ) as IdentityRow[];
    return rows.map(toIdentity);
  }

  setMeta(id: string, meta: Record<string, unknown> | null): void {
    prepare(this.db, 'UPDATE identities SET meta = ? WHERE id = ?').run(toJsonColumn(meta), id);
  }

  /** Deletes the identity and its rate limits; its keys stay, without an identity. */
  delete(id: string): void {
    prepare(this.db, 'UPDATE keys SET identity_id = NULL WHERE identity_id = ?').run(id);
    prepare(this.db, 'DELETE FROM ratelimits WHERE identity_id = ?').run(id);
    prepare(this.db, 'DELETE FROM identities WHERE id = ?').run(id);
  }
}
