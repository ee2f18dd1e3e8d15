import { newId } from '../../crypto/random.js';
import type { Db } from '../database.js';
import { prepare } from '../prepare.js';

export interface RatelimitNamespaceRecord {
  id: string;
  name: string;
}

/** Namespaces of standalone rate limiting (`ratelimit.limit`): created on first use, and what overrides belong to. */
export class RatelimitNamespaceRepository {
  constructor(private readonly db: Db) {}

  /** By id (`rlns_…`) or name, within the workspace. */
  find(workspaceId: string, namespace: string): RatelimitNamespaceRecord | undefined {
    return prepare(
      this.db,
      'SELECT id, name FROM ratelimit_namespaces WHERE workspace_id = ? AND (id = ? OR name = ?) ORDER BY id = ? DESC LIMIT 1',
    ).get(workspaceId, namespace, namespace, namespace) as RatelimitNamespaceRecord | undefined;
  }

  create(workspaceId: string, name: string, now: number): RatelimitNamespaceRecord {
    const id = newId('rlns', now);
    prepare(this.db, 'INSERT INTO ratelimit_namespaces (id, workspace_id, name, created_at) VALUES (?, ?, ?, ?)').run(
      id,
      workspaceId,
      name,
      now,
    );
    return { id, name };
  }
}
