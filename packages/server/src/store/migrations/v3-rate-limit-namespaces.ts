import type { Migration } from './types.js';

/** Schema version 3. Released: never edited, a change is a new migration. */
export const rateLimitNamespaces: Migration = {
  version: 3,
  description: 'rate-limit namespaces and overrides, and a per-workspace request quota',
  sql: `
      CREATE TABLE ratelimit_namespaces (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        name TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        UNIQUE (workspace_id, name)
      );
      CREATE TABLE ratelimit_overrides (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        namespace_id TEXT NOT NULL REFERENCES ratelimit_namespaces(id) ON DELETE CASCADE,
        identifier TEXT NOT NULL,
        "limit" INTEGER NOT NULL,
        duration INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER,
        UNIQUE (namespace_id, identifier)
      );
      ALTER TABLE workspaces ADD COLUMN request_quota_limit INTEGER;
      ALTER TABLE workspaces ADD COLUMN request_quota_duration INTEGER;
    `,
};
