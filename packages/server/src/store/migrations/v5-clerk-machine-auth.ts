import type { Migration } from './types.js';

/** Schema version 5. Released: never edited, a change is a new migration. */
export const clerkMachineAuth: Migration = {
  version: 5,
  description:
    'Clerk machine auth: machines, their secret keys and scopes, M2M tokens, OAuth access tokens, signing keys',
  sql: `
      CREATE TABLE clerk_machines (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        name TEXT NOT NULL,
        default_token_ttl INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX clerk_machines_workspace ON clerk_machines(workspace_id, created_at);
      CREATE TABLE clerk_machine_scopes (
        from_machine_id TEXT NOT NULL REFERENCES clerk_machines(id) ON DELETE CASCADE,
        to_machine_id TEXT NOT NULL REFERENCES clerk_machines(id) ON DELETE CASCADE,
        created_at INTEGER NOT NULL,
        PRIMARY KEY (from_machine_id, to_machine_id)
      );
      CREATE TABLE clerk_machine_secret_keys (
        id TEXT PRIMARY KEY,
        machine_id TEXT NOT NULL REFERENCES clerk_machines(id) ON DELETE CASCADE,
        hash TEXT NOT NULL UNIQUE,
        encrypted TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE clerk_m2m_tokens (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        machine_id TEXT NOT NULL REFERENCES clerk_machines(id) ON DELETE CASCADE,
        hash TEXT NOT NULL UNIQUE,
        encrypted TEXT NOT NULL,
        claims TEXT,
        scopes TEXT NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0,
        revocation_reason TEXT,
        expiration INTEGER,
        last_used_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE INDEX clerk_m2m_tokens_machine ON clerk_m2m_tokens(machine_id, created_at);
      CREATE TABLE clerk_oauth_access_tokens (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        hash TEXT NOT NULL UNIQUE,
        client_id TEXT NOT NULL,
        subject TEXT NOT NULL,
        scopes TEXT NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0,
        revocation_reason TEXT,
        expiration INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL
      );
      CREATE TABLE clerk_signing_keys (
        kid TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        public_jwk TEXT NOT NULL,
        encrypted_private_key TEXT NOT NULL,
        created_at INTEGER NOT NULL
      );
      CREATE INDEX clerk_signing_keys_workspace ON clerk_signing_keys(workspace_id, created_at);
    `,
};
