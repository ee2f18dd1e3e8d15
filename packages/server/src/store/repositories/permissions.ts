import { newId } from '../../crypto/random.js';
import type { Db } from '../database.js';
import { prepare } from '../prepare.js';

export interface PermissionRecord {
  id: string;
  name: string;
  slug: string;
  description: string | null;
}

export class PermissionRepository {
  constructor(private readonly db: Db) {}

  findBySlug(workspaceId: string, slug: string): PermissionRecord | undefined {
    return prepare(this.db, 'SELECT id, name, slug, description FROM permissions WHERE workspace_id = ? AND slug = ?').get(workspaceId, slug) as
      | PermissionRecord
      | undefined;
  }

  create(workspaceId: string, permission: { name: string; slug: string; description: string | null }, now: number): PermissionRecord {
    const id = newId('perm', now);
    prepare(this.db, 'INSERT INTO permissions (id, workspace_id, name, slug, description, created_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(id, workspaceId, permission.name, permission.slug, permission.description, now);
    return { id, ...permission };
  }

  /** Permission ids for these slugs, creating the missing ones (named after their slug). */
  ensure(workspaceId: string, slugs: readonly string[], now: number): string[] {
    return [...new Set(slugs)].map((slug) => (this.findBySlug(workspaceId, slug) ?? this.create(workspaceId, { name: slug, slug, description: null }, now)).id);
  }
}
