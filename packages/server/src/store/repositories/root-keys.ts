import { newId } from '../../crypto/random.js';
import type { Db } from '../database.js';
import { memoFor } from '../memo.js';
import { prepare } from '../prepare.js';
import type { RootKeyRecord, RootKeySummary } from '../types.js';

interface RootKeyRow {
  id: string;
  name: string | null;
  start: string;
  created_at: number;
}

export class RootKeyRepository {
  /** Root keys by hash (unknown ones too), until a root key or its permissions change (memo.ts). */
  private readonly byHash;

  constructor(private readonly db: Db) {
    this.byHash = memoFor<RootKeyRecord | undefined>(db, 1_000);
  }

  /** Stores a root key by hash with its permissions; returns its id. */
  create(
    workspaceId: string,
    hash: string,
    start: string,
    permissions: readonly string[],
    now: number,
    name?: string,
  ): string {
    const id = newId('rk', now);
    prepare(
      this.db,
      'INSERT INTO root_keys (id, workspace_id, hash, start, name, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(id, workspaceId, hash, start, name ?? null, now);
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

  /** A live root key by the hash of its plaintext, with its permissions. */
  findByHash(hash: string): RootKeyRecord | undefined {
    return this.byHash.get(hash, () => this.load(hash));
  }

  private load(hash: string): RootKeyRecord | undefined {
    const row = prepare(
      this.db,
      'SELECT id, workspace_id, start FROM root_keys WHERE hash = ? AND deleted_at IS NULL',
    ).get(hash) as { id: string; workspace_id: string; start: string } | undefined;
    if (!row) return undefined;
    return {
      id: row.id,
      workspaceId: row.workspace_id,
      start: row.start,
      permissions: new Set(this.permissionsOf(row.id)),
    };
  }

  /** The workspace's live root keys, oldest first: never their hash. */
  list(workspaceId: string): RootKeySummary[] {
    const rows = prepare(
      this.db,
      'SELECT id, name, start, created_at FROM root_keys WHERE workspace_id = ? AND deleted_at IS NULL ORDER BY created_at, id',
    ).all(workspaceId) as RootKeyRow[];
    return rows.map((row) => ({
      id: row.id,
      ...(row.name !== null ? { name: row.name } : {}),
      start: row.start,
      permissions: this.permissionsOf(row.id),
      createdAt: row.created_at,
    }));
  }

  /** Marks a live root key of the workspace deleted: it stops authenticating at once. False when there was none. */
  softDelete(workspaceId: string, id: string, now: number): boolean {
    return (
      prepare(
        this.db,
        'UPDATE root_keys SET deleted_at = ? WHERE id = ? AND workspace_id = ? AND deleted_at IS NULL',
      ).run(now, id, workspaceId).changes > 0
    );
  }

  countInWorkspace(workspaceId: string): number {
    return prepare(this.db, 'SELECT COUNT(*) FROM root_keys WHERE workspace_id = ? AND deleted_at IS NULL')
      .pluck()
      .get(workspaceId) as number;
  }

  private permissionsOf(rootKeyId: string): string[] {
    return prepare(this.db, 'SELECT permission FROM root_key_permissions WHERE root_key_id = ? ORDER BY permission')
      .pluck()
      .all(rootKeyId) as string[];
  }
}
