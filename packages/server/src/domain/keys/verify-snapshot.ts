import type { IdentityData } from '@keyguard/unkey';
import { memoFor, type Memo } from '../../store/memo.js';
import type { Store } from '../../store/store.js';
import type { KeyRecord } from '../../store/types.js';
import {
  autoAppliedChecks,
  limitsByName,
  type LimitsByName,
  type PlannedCheck,
} from '../ratelimits/verify-ratelimits.js';
import { identityData } from './key-response.js';

/**
 * Everything a verification reads of one key: the key, its permissions (direct and through roles), roles, identity
 * and rate limits. Its credits here are only where the copy in memory starts (store.usage has them exactly).
 */
export interface KeySnapshot {
  key: KeyRecord;
  permissions: string[];
  roles: string[];
  identity: IdentityData | undefined;
  /** The key's limits and its identity's, one per name (the key's win). */
  limits: LimitsByName;
  /** What a request naming no limit checks: every auto-applied limit, at cost 1. */
  autoChecks: PlannedCheck[];
}

const MAX_SNAPSHOTS = 10_000;
const memos = new WeakMap<Store, Memo<KeySnapshot | undefined>>();

function load(store: Store, hash: string): KeySnapshot | undefined {
  const key = store.keys.findByHash(hash);
  if (!key) return undefined;
  const limits = limitsByName(store, key);
  return {
    key,
    permissions: store.keyAccess.allPermissions(key.id),
    roles: store.keyAccess.roles(key.id),
    identity: identityData(store, key.identityId),
    limits,
    autoChecks: autoAppliedChecks(limits),
  };
}

/**
 * The live key with this hash, as a verification reads it; unknown hashes too. Remembered until any table it was
 * read from changes (store/memo.ts), so every write path (update, delete, reroll, permissions, roles, identity,
 * workspace, API deletion) is seen by the next verification.
 */
export function keySnapshot(store: Store, hash: string): KeySnapshot | undefined {
  let memo = memos.get(store);
  if (!memo) memos.set(store, (memo = memoFor<KeySnapshot | undefined>(store.db, MAX_SNAPSHOTS)));
  return memo.get(hash, () => load(store, hash));
}
