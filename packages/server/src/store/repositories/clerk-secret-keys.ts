import { newId } from '../../crypto/random.js';
import type { Db } from '../database.js';
import { prepare } from '../prepare.js';

/** Clerk-style instance secret keys (`sk_test_…`): the credential of `/v1/api_keys`, stored by hash. */
export class ClerkSecretKeyRepository {
  constructor(private readonly db: Db) {}

  create(workspaceId: string, hash: string, start: string, now: number): string {
    const id = newId('csk', now);
    prepare(
      this.db,
      'INSERT INTO clerk_secret_keys (id, workspace_id, hash, start, created_at) VALUES (?, ?, ?, ?, ?)',
    ).run(id, workspaceId, hash, start, now);
    return id;
  }

  /** The workspace of the secret key with this hash. */
  workspaceOf(hash: string): string | undefined {
    return prepare(this.db, 'SELECT workspace_id FROM clerk_secret_keys WHERE hash = ?').pluck().get(hash) as
      string | undefined;
  }

  countInWorkspace(workspaceId: string): number {
    return prepare(this.db, 'SELECT COUNT(*) FROM clerk_secret_keys WHERE workspace_id = ?')
      .pluck()
      .get(workspaceId) as number;
  }
}
