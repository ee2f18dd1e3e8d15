import type { Migration } from './types.js';

/** Schema version 2. Released: never edited, a change is a new migration. */
export const clerkApiKeys: Migration = {
  version: 2,
  description: 'Clerk API keys and the Clerk-style secret keys that manage them',
  sql: `
      CREATE TABLE clerk_secret_keys (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        hash TEXT NOT NULL UNIQUE,
        start TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE clerk_api_keys (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        hash TEXT NOT NULL UNIQUE,
        encrypted TEXT NOT NULL,
        type TEXT NOT NULL,
        subject TEXT NOT NULL,
        name TEXT NOT NULL,
        description TEXT,
        claims TEXT,
        scopes TEXT NOT NULL,
        created_by TEXT,
        revoked INTEGER NOT NULL DEFAULT 0,
        revocation_reason TEXT,
        expiration INTEGER,
        last_used_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX clerk_api_keys_subject ON clerk_api_keys(workspace_id, subject, created_at);
    `,
};
