import { newId } from '../../crypto/random.js';
import type { Db } from '../database.js';
import { prepare } from '../prepare.js';
import { readJsonObjectColumn } from '../json-column.js';
import type { IdentityRecord } from '../types.js';

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
    const row = prepare(this.db, 'SELECT * FROM identities WHERE workspace_id = ? AND external_id = ?').get(workspaceId, externalId) as
      | IdentityRow
      | undefined;
    return row && toIdentity(row);
  }

  /** The identity with this external id, created on first use (as `keys.createKey` does). */
  findOrCreate(workspaceId: string, externalId: string, now: number): IdentityRecord {
    const existing = this.findByExternalId(workspaceId, externalId);
    if (existing) return existing;
    const id = newId('id', now);
    prepare(this.db, 'INSERT INTO identities (id, workspace_id, external_id, created_at) VALUES (?, ?, ?, ?)').run(id, workspaceId, externalId, now);
    return { id, workspaceId, externalId, meta: null };
  }
}
