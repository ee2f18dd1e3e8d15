import type { Db } from '../database.js';
import { prepare } from '../prepare.js';
import type { PermissionRecord } from './permissions.js';
import type { RoleRecord } from './roles.js';

/** Which permissions and roles a key carries (key_permissions, key_roles, and the roles' permissions). */
export class KeyAccessRepository {
  constructor(private readonly db: Db) {}

  replacePermissions(keyId: string, permissionIds: readonly string[]): void {
    prepare(this.db, 'DELETE FROM key_permissions WHERE key_id = ?').run(keyId);
    const insert = prepare(this.db, 'INSERT OR IGNORE INTO key_permissions (key_id, permission_id) VALUES (?, ?)');
    for (const permissionId of permissionIds) insert.run(keyId, permissionId);
  }

  replaceRoles(keyId: string, roleIds: readonly string[]): void {
    prepare(this.db, 'DELETE FROM key_roles WHERE key_id = ?').run(keyId);
    const insert = prepare(this.db, 'INSERT OR IGNORE INTO key_roles (key_id, role_id) VALUES (?, ?)');
    for (const roleId of roleIds) insert.run(keyId, roleId);
  }

  /** Slugs granted to the key directly, sorted. */
  directPermissions(keyId: string): string[] {
    return prepare(
      this.db,
      'SELECT p.slug FROM key_permissions kp JOIN permissions p ON p.id = kp.permission_id WHERE kp.key_id = ? ORDER BY p.slug',
    )
      .pluck()
      .all(keyId) as string[];
  }

  /** Slugs granted directly or through any of the key's roles, sorted and without duplicates. */
  allPermissions(keyId: string): string[] {
    return prepare(
      this.db,
      `SELECT p.slug FROM key_permissions kp JOIN permissions p ON p.id = kp.permission_id WHERE kp.key_id = ?
       UNION
       SELECT p.slug FROM key_roles kr JOIN role_permissions rp ON rp.role_id = kr.role_id JOIN permissions p ON p.id = rp.permission_id
       WHERE kr.key_id = ?
       ORDER BY 1`,
    )
      .pluck()
      .all(keyId, keyId) as string[];
  }

  roles(keyId: string): string[] {
    return prepare(
      this.db,
      'SELECT r.name FROM key_roles kr JOIN roles r ON r.id = kr.role_id WHERE kr.key_id = ? ORDER BY r.name',
    )
      .pluck()
      .all(keyId) as string[];
  }

  addPermissions(keyId: string, permissionIds: readonly string[]): void {
    const insert = prepare(this.db, 'INSERT OR IGNORE INTO key_permissions (key_id, permission_id) VALUES (?, ?)');
    for (const permissionId of permissionIds) insert.run(keyId, permissionId);
  }

  removePermissions(keyId: string, permissionIds: readonly string[]): void {
    const remove = prepare(this.db, 'DELETE FROM key_permissions WHERE key_id = ? AND permission_id = ?');
    for (const permissionId of permissionIds) remove.run(keyId, permissionId);
  }

  addRoles(keyId: string, roleIds: readonly string[]): void {
    const insert = prepare(this.db, 'INSERT OR IGNORE INTO key_roles (key_id, role_id) VALUES (?, ?)');
    for (const roleId of roleIds) insert.run(keyId, roleId);
  }

  removeRoles(keyId: string, roleIds: readonly string[]): void {
    const remove = prepare(this.db, 'DELETE FROM key_roles WHERE key_id = ? AND role_id = ?');
    for (const roleId of roleIds) remove.run(keyId, roleId);
  }

  /** The permissions granted to the key directly, by slug. */
  directPermissionRecords(keyId: string): PermissionRecord[] {
    return prepare(
      this.db,
      'SELECT p.id, p.name, p.slug, p.description FROM key_permissions kp JOIN permissions p ON p.id = kp.permission_id WHERE kp.key_id = ? ORDER BY p.slug',
    ).all(keyId) as PermissionRecord[];
  }

  /** The key's roles, by name. */
  roleRecords(keyId: string): RoleRecord[] {
    return prepare(
      this.db,
      'SELECT r.id, r.name, r.description FROM key_roles kr JOIN roles r ON r.id = kr.role_id WHERE kr.key_id = ? ORDER BY r.name',
    ).all(keyId) as RoleRecord[];
  }
}
