import { newId } from '../../crypto/random.js';
import type { Db } from '../database.js';
import { prepare } from '../prepare.js';
import type { RatelimitDefinition } from '../types.js';

interface RatelimitRow {
  id: string;
  name: string;
  limit: number;
  duration: number;
  auto_apply: number;
}

const toDefinition = (row: RatelimitRow): RatelimitDefinition => ({
  id: row.id,
  name: row.name,
  limit: row.limit,
  duration: row.duration,
  autoApply: row.auto_apply === 1,
});

export type RatelimitOwner = { keyId: string } | { identityId: string };

/** Named limits stored on keys and identities. */
export class RatelimitRepository {
  constructor(private readonly db: Db) {}

  forKey(keyId: string): RatelimitDefinition[] {
    return (
      prepare(this.db, 'SELECT * FROM ratelimits WHERE key_id = ? ORDER BY name').all(keyId) as RatelimitRow[]
    ).map(toDefinition);
  }

  forIdentity(identityId: string): RatelimitDefinition[] {
    return (
      prepare(this.db, 'SELECT * FROM ratelimits WHERE identity_id = ? ORDER BY name').all(identityId) as RatelimitRow[]
    ).map(toDefinition);
  }

  replace(
    workspaceId: string,
    owner: RatelimitOwner,
    limits: readonly Omit<RatelimitDefinition, 'id'>[],
    now: number,
  ): void {
    const keyId = 'keyId' in owner ? owner.keyId : null;
    const identityId = 'identityId' in owner ? owner.identityId : null;
    // A limit that keeps its name keeps its id, as in Unkey.
    const previous = new Map(
      (keyId ? this.forKey(keyId) : this.forIdentity(identityId as string)).map((limit) => [limit.name, limit.id]),
    );
    if (keyId) prepare(this.db, 'DELETE FROM ratelimits WHERE key_id = ?').run(keyId);
    else prepare(this.db, 'DELETE FROM ratelimits WHERE identity_id = ?').run(identityId);
    const insert = prepare(
      this.db,
      'INSERT INTO ratelimits (id, workspace_id, key_id, identity_id, name, "limit", duration, auto_apply) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    for (const limit of limits) {
      insert.run(
        previous.get(limit.name) ?? newId('rl', now),
        workspaceId,
        keyId,
        identityId,
        limit.name,
        limit.limit,
        limit.duration,
        limit.autoApply ? 1 : 0,
      );
    }
  }
}
