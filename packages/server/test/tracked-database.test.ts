import { describe, expect, it } from 'vitest';
import { changesWatchedTables } from '../src/store/tracked-database.js';

// Which statements drop what verifications remember (store/memo.ts): a miss here would let a verification answer
// from before a change, so every shape of write the repositories use is listed.
describe('changesWatchedTables', () => {
  it.each([
    ['INSERT INTO keys (id) VALUES (?)', true],
    ['INSERT OR IGNORE INTO key_permissions (key_id, permission_id) VALUES (?, ?)', true],
    ['  update keys SET enabled = ? WHERE id = ?', true],
    ['DELETE FROM role_permissions WHERE role_id = ?', true],
    ['REPLACE INTO identities (id) VALUES (?)', true],
    ['UPDATE "root_keys" SET deleted_at = ?', true],
    ['UPDATE workspaces SET request_quota_limit = ?', true],
    ['CREATE TABLE later (id TEXT)', true],
    ['WITH doomed AS (SELECT id FROM keys) DELETE FROM keys WHERE id IN doomed', true],
    ['PRAGMA foreign_keys = ON', true],
  ])('%s: changes what verification reads', (sql, expected) => {
    expect(changesWatchedTables(sql)).toBe(expected);
  });

  it.each([
    ['SELECT k.* FROM keys k WHERE k.hash = ?', false],
    [
      'INSERT INTO ratelimit_windows (bucket) VALUES (?) ON CONFLICT (bucket) DO UPDATE SET used = excluded.used',
      false,
    ],
    ['DELETE FROM ratelimit_windows WHERE window_start + duration <= ?', false],
    ['INSERT INTO audit_log (id) VALUES (?)', false],
    ['UPDATE clerk_api_keys SET last_used_at = ? WHERE id = ?', false],
    ['PRAGMA data_version', false],
  ])('%s: does not', (sql, expected) => {
    expect(changesWatchedTables(sql)).toBe(expected);
  });
});
