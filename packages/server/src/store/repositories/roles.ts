import { newId } from '../../crypto/random.js';
import type { Db } from '../database.js';
import { prepare } from '../prepare.js';

export interface RoleRecord {
  id: string;
  name: string;
  description: string | null;
}

export class RoleRepository {
  constructor(private readonly db: Db) {}

  findByName(workspaceId: string, name: string): RoleRecord | undefined {
    return prepare(this.db, 'SELECT id, name, description FROM roles WHERE workspace_id = ? AND name = ?').get(workspaceId, name) as
      | RoleRecord
      | undefined;
  }

  create(workspaceId: string, role: { name: string; description: string | null }, now: number): RoleRecord {
    const id = newId('role', now);
    prepare(this.db, 'INSERT INTO roles (id, workspace_id, name, description, created_at) VALUES (?, ?, ?, ?, ?)').run(id, workspaceId, role.name, role.description, now);
    return { id, ...role };
  }

  grant(roleId: string, permissionIds: readonly string[]): void {
    const insert = prepare(this.db, 'INSERT OR IGNORE INTO role_permissions (role_id, permission_id) VALUES (?, ?)');
    for (const permissionId of permissionIds) insert.run(roleId, permissionId);
  }
}
