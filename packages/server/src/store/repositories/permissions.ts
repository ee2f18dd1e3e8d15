import { newId } from '../../crypto/random.js';
import type { Db } from '../database.js';
import { prepare } from '../prepare.js';
import { pageQuery, type PageOptions } from '../page-query.js';

export interface PermissionRecord {
  id: string;
  name: string;
  slug: string;
  description: string | null;
}

export class PermissionRepository {
  constructor(private readonly db: Db) {}

  findBySlug(workspaceId: string, slug: string): PermissionRecord | undefined {
    return prepare(
      this.db,
      'SELECT id, name, slug, description FROM permissions WHERE workspace_id = ? AND slug = ?',
    ).get(workspaceId, slug) as PermissionRecord | undefined;
  }

  create(
    workspaceId: string,
    permission: { name: string; slug: string; description: string | null },
    now: number,
  ): PermissionRecord {
    const id = newId('perm', now);
    prepare(
      this.db,
      'INSERT INTO permissions (id, workspace_id, name, slug, description, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    ).run(id, workspaceId, permission.name, permission.slug, permission.description, now);
    return { id, ...permission };
  }

  /** Permission ids for these slugs, creating the missing ones (named after their slug). */
  ensure(workspaceId: string, slugs: readonly string[], now: number): string[] {
    return [...new Set(slugs)].map(
      (slug) =>
        (this.findBySlug(workspaceId, slug) ?? this.create(workspaceId, { name: slug, slug, description: null }, now))
          .id,
    );
  }

  /** By id (`perm_…`) or slug, within the workspace. */
  find(workspaceId: string, permission: string): PermissionRecord | undefined {
    return prepare(
      this.db,
      'SELECT id, name, slug, description FROM permissions WHERE workspace_id = ? AND (id = ? OR slug = ?) ORDER BY id = ? DESC LIMIT 1',
    ).get(workspaceId, permission, permission, permission) as PermissionRecord | undefined;
  }

  /** Up to `limit` permissions ordered by id from `cursor` (inclusive); `search` matches id, name, slug or description. */
  list(workspaceId: string, options: PageOptions): PermissionRecord[] {
    const { where, parameters } = pageQuery(workspaceId, options, ['id', 'name', 'slug', "coalesce(description, '')"]);
    return prepare(
      this.db,
      `SELECT id, name, slug, description FROM permissions WHERE ${where} ORDER BY id LIMIT ?`,
    ).all(...parameters) as PermissionRecord[];
  }

  /** Deletes the permission; keys and roles lose it with it (ON DELETE CASCADE). */
  delete(id: string): void {
    prepare(this.db, 'DELETE FROM permissions WHERE id = ?').run(id);
  }
}
