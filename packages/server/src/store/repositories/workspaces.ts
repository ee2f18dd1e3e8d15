import { newId } from '../../crypto/random.js';
import type { Db } from '../database.js';
import { memoFor } from '../memo.js';
import { prepare } from '../prepare.js';
import type { RequestQuota, Workspace } from '../types.js';

interface WorkspaceRow {
  id: string;
  name: string;
  enabled: number;
  created_at: number;
}

const toWorkspace = (row: WorkspaceRow): Workspace => ({
  id: row.id,
  name: row.name,
  enabled: row.enabled === 1,
  createdAt: row.created_at,
});

export class WorkspaceRepository {
  /** Asked on every request (the quota) and every verification (enabled): remembered until a workspace changes. */
  private readonly byId;
  private readonly quotas;

  constructor(private readonly db: Db) {
    this.byId = memoFor<Workspace | undefined>(db, 100);
    this.quotas = memoFor<RequestQuota | undefined>(db, 100);
  }

  create(name: string, now: number): Workspace {
    const id = newId('ws', now);
    prepare(this.db, 'INSERT INTO workspaces (id, name, enabled, created_at) VALUES (?, ?, 1, ?)').run(id, name, now);
    return { id, name, enabled: true, createdAt: now };
  }

  /** The first workspace created (the local server's default). */
  first(): Workspace | undefined {
    const row = prepare(this.db, 'SELECT * FROM workspaces ORDER BY created_at, id LIMIT 1').get() as
      WorkspaceRow | undefined;
    return row && toWorkspace(row);
  }

  get(id: string): Workspace | undefined {
    return this.byId.get(id, () => this.load(id));
  }

  private load(id: string): Workspace | undefined {
    const row = prepare(this.db, 'SELECT * FROM workspaces WHERE id = ?').get(id) as WorkspaceRow | undefined;
    return row && toWorkspace(row);
  }

  setEnabled(id: string, enabled: boolean): boolean {
    return prepare(this.db, 'UPDATE workspaces SET enabled = ? WHERE id = ?').run(enabled ? 1 : 0, id).changes > 0;
  }

  /** The workspace's request quota (requests per window over all `/v2` operations), if one is set. */
  requestQuota(id: string): RequestQuota | undefined {
    return this.quotas.get(id, () => this.loadQuota(id));
  }

  private loadQuota(id: string): RequestQuota | undefined {
    const row = prepare(
      this.db,
      'SELECT request_quota_limit AS "limit", request_quota_duration AS duration FROM workspaces WHERE id = ?',
    ).get(id) as { limit: number | null; duration: number | null } | undefined;
    return row && row.limit !== null && row.duration !== null
      ? { limit: row.limit, duration: row.duration }
      : undefined;
  }

  /** Sets (or, with `undefined`, removes) the request quota. */
  setRequestQuota(id: string, quota: RequestQuota | undefined): boolean {
    return (
      prepare(this.db, 'UPDATE workspaces SET request_quota_limit = ?, request_quota_duration = ? WHERE id = ?').run(
        quota?.limit ?? null,
        quota?.duration ?? null,
        id,
      ).changes > 0
    );
  }
}
