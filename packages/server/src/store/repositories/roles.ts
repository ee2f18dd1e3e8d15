import { newId } from '../../crypto/random.js';
import type { Db } from '../database.js';
import { prepare } from '../prepare.js';
import type { PermissionRecord } from './permissions.js';
import { pageQuery, type PageOptions } from '../page-query.js';

export interface RoleRecord {
  id: string;
  name: string;
  description: string | null;
}

export class RoleRepository {
  constructor(private readonly db: Db) {}

  findByName(workspaceId: string, name: string): RoleRecord | undefined {
    return prepare(this.db, 'SELECT id, name, description FROM roles WHERE workspace_id = ? AND name = ?').get(
      workspaceId,
      name,
    ) as RoleRecord | undefined;
  }

  create(workspaceId: string, role: { name: string; description: string | null }, now: number): RoleRecord {
    const id = newId('role', now);
    prepare(this.db, 'INSERT INTO roles (id, workspace_id, name, description, created_at) VALUES (?, ?, ?, ?, ?)').run(
      id,
      workspaceId,
      role.name,
      role.description,
      now,
    );
    return { id, ...role };
  }

  grant(roleId: string, permissionIds: readonly string[]): void {
    const insert = prepare(this.db, 'INSERT OR IGNORE INTO role_permissions (role_id, permission_id) VALUES (?, ?)');
    for (const permissionId of permissionIds) insert.run(roleId, permissionId);
  }

  /** By id (`role_…`) or name, within the workspace. */
  find(workspaceId: string, role: string): RoleRecord | undefined {
    return prepare(
      this.db,
      'SELECT id, name, description FROM roles WHERE workspace_id = ? AND (id = ? OR name = ?) ORDER BY id = ? DESC LIMIT 1',
    ).get(workspaceId, role, role, role) as RoleRecord | undefined;
  }

  /** Up to `limit` roles ordered by id from `cursor` (inclusive); `search` matches id, name or description. */
  list(workspaceId: string, options: PageOptions): RoleRecord[] {
    const { where, parameters } = pageQuery(workspaceId, options, ['id', 'name', "coalesce(description, '')"]);
    return prepare(this.db, `SELECT id, name, description FROM roles WHERE ${where} ORDER BY id LIMIT ?`).all(
      ...parameters,
    ) as RoleRecord[];
  }

  /** The permissions the role grants, by slug. */
  permissions(roleId: string): PermissionRecord[] {
    return prepare(
      this.db,
      'SELECT p.id, p.name, p.slug, p.description FROM role_permissions rp JOIN permissions p ON p.id = rp.permission_id WHERE rp.role_id = ? ORDER BY p.slug',
    ).all(roleId) as PermissionRecord[];
  }

  /** Deletes the role; keys lose it with it (ON DELETE CASCADE). */
  delete(id: string): void {
    prepare(this.db, 'DELETE FROM roles WHERE id = ?').run(id);
  }
}
