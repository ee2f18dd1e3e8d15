import { newId } from '../../crypto/random.js';
import type { Db } from '../database.js';
import { prepare } from '../prepare.js';
import type { RootKeyRecord } from '../types.js';

export class RootKeyRepository {
  constructor(private readonly db: Db) {}

  /** Stores a root key by hash with its permissions; returns its id. */
  create(workspaceId: string, hash: string, start: string, permissions: readonly string[], now: number): string {
    const id = newId('rk', now);
    prepare(this.db, 'INSERT INTO root_keys (id, workspace_id, hash, start, created_at) VALUES (?, ?, ?, ?, ?)').run(
      id,
      workspaceId,
      hash,
      start,
      now,
    );
    this.grant(id, permissions);
    return id;
  }

  grant(rootKeyId: string, permissions: readonly string[]): void {
    const insert = prepare(
      this.db,
      'INSERT OR IGNORE INTO root_key_permissions (root_key_id, permission) VALUES (?, ?)',
    );
    for (const permission of permissions) insert.run(rootKeyId, permission);
  }

  findByHash(hash: string): RootKeyRecord | undefined {
    const row = prepare(
      this.db,
      'SELECT id, workspace_id, start FROM root_keys WHERE hash = ? AND deleted_at IS NULL',
    ).get(hash) as { id: string; workspace_id: string; start: string } | undefined;
    if (!row) return undefined;
    const permissions = prepare(this.db, 'SELECT permission FROM root_key_permissions WHERE root_key_id = ?')
      .pluck()
      .all(row.id) as string[];
    return { id: row.id, workspaceId: row.workspace_id, start: row.start, permissions: new Set(permissions) };
  }

  countInWorkspace(workspaceId: string): number {
    return prepare(this.db, 'SELECT COUNT(*) FROM root_keys WHERE workspace_id = ? AND deleted_at IS NULL')
      .pluck()
      .get(workspaceId) as number;
  }
}
