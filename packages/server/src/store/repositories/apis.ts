import { newId } from '../../crypto/random.js';
import type { Db } from '../database.js';
import { prepare } from '../prepare.js';
import type { ApiRecord } from '../types.js';

interface ApiRow {
  id: string;
  workspace_id: string;
  name: string;
  delete_protection: number;
  created_at: number;
}

const toApi = (row: ApiRow): ApiRecord => ({
  id: row.id,
  workspaceId: row.workspace_id,
  name: row.name,
  deleteProtection: row.delete_protection === 1,
  createdAt: row.created_at,
});

export class ApiRepository {
  constructor(private readonly db: Db) {}

  create(workspaceId: string, name: string, now: number): ApiRecord {
    const id = newId('api', now);
    prepare(this.db, 'INSERT INTO apis (id, workspace_id, name, created_at) VALUES (?, ?, ?, ?)').run(
      id,
      workspaceId,
      name,
      now,
    );
    return { id, workspaceId, name, deleteProtection: false, createdAt: now };
  }

  /** A live (not deleted) API of the workspace. */
  get(workspaceId: string, id: string): ApiRecord | undefined {
    const row = prepare(this.db, 'SELECT * FROM apis WHERE id = ? AND workspace_id = ? AND deleted_at IS NULL').get(
      id,
      workspaceId,
    ) as ApiRow | undefined;
    return row && toApi(row);
  }

  findByName(workspaceId: string, name: string): ApiRecord | undefined {
    const row = prepare(this.db, 'SELECT * FROM apis WHERE workspace_id = ? AND name = ? AND deleted_at IS NULL').get(
      workspaceId,
      name,
    ) as ApiRow | undefined;
    return row && toApi(row);
  }

  /** The workspace's live APIs, oldest first. */
  list(workspaceId: string): ApiRecord[] {
    const rows = prepare(
      this.db,
      'SELECT * FROM apis WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY created_at, id',
    ).all(workspaceId) as ApiRow[];
    return rows.map(toApi);
  }

  setDeleteProtection(id: string, enabled: boolean): boolean {
    return (
      prepare(this.db, 'UPDATE apis SET delete_protection = ? WHERE id = ? AND deleted_at IS NULL').run(
        enabled ? 1 : 0,
        id,
      ).changes > 0
    );
  }

  /** Marks the API and every key in it deleted. Lookups filter on both, so its keys stop verifying at once. */
  softDelete(id: string, now: number): void {
    prepare(this.db, 'UPDATE keys SET deleted_at = ? WHERE api_id = ? AND deleted_at IS NULL').run(now, id);
    prepare(this.db, 'UPDATE apis SET deleted_at = ? WHERE id = ?').run(now, id);
  }
}
