import type { Migration } from './types.js';

/** Schema version 1. Released: never edited, a change is a new migration. */
export const coreSchema: Migration = {
  version: 1,
  description: 'workspaces, root keys, apis, identities, keys, permissions, roles, rate limits',
  sql: `
      CREATE TABLE workspaces (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        enabled INTEGER NOT NULL DEFAULT 1,
        created_at INTEGER NOT NULL
      );
      CREATE TABLE root_keys (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        hash TEXT NOT NULL UNIQUE,
        start TEXT NOT NULL,
        created_at INTEGER NOT NULL,
        deleted_at INTEGER
      );
      CREATE TABLE root_key_permissions (
        root_key_id TEXT NOT NULL REFERENCES root_keys(id) ON DELETE CASCADE,
        permission TEXT NOT NULL,
        PRIMARY KEY (root_key_id, permission)
      );
      CREATE TABLE apis (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        name TEXT NOT NULL,
        delete_protection INTEGER NOT NULL DEFAULT 0,
        created_at INTEGER NOT NULL,
        deleted_at INTEGER
      );
      CREATE UNIQUE INDEX apis_workspace_name ON apis(workspace_id, name) WHERE deleted_at IS NULL;
      CREATE TABLE identities (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        external_id TEXT NOT NULL,
        meta TEXT,
        created_at INTEGER NOT NULL,
        UNIQUE (workspace_id, external_id)
      );
      CREATE TABLE keys (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        api_id TEXT NOT NULL REFERENCES apis(id),
        hash TEXT NOT NULL UNIQUE,
        start TEXT NOT NULL,
        name TEXT,
        identity_id TEXT REFERENCES identities(id),
        meta TEXT,
        expires INTEGER,
        enabled INTEGER NOT NULL DEFAULT 1,
        credits_remaining INTEGER,
        refill_interval TEXT,
        refill_amount INTEGER,
        refill_day INTEGER,
        last_refill_at INTEGER,
        encrypted TEXT,
        created_at INTEGER NOT NULL,
        updated_at INTEGER,
        last_used_at INTEGER,
        deleted_at INTEGER
      );
      CREATE INDEX keys_api_id ON keys(api_id, id);
      CREATE INDEX keys_identity ON keys(identity_id);
      CREATE TABLE permissions (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        name TEXT NOT NULL,
        slug TEXT NOT NULL,
        description TEXT,
        created_at INTEGER NOT NULL,
        UNIQUE (workspace_id, slug)
      );
      CREATE TABLE roles (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        name TEXT NOT NULL,
        description TEXT,
        created_at INTEGER NOT NULL,
        UNIQUE (workspace_id, name)
      );
      CREATE TABLE role_permissions (
        role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        permission_id TEXT NOT NULL REFERENCES permissions(id) ON DELETE CASCADE,
        PRIMARY KEY (role_id, permission_id)
      );
      CREATE TABLE key_permissions (
        key_id TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
        permission_id TEXT NOT NULL REFERENCES permissions(id) ON DELETE CASCADE,
        PRIMARY KEY (key_id, permission_id)
      );
      CREATE TABLE key_roles (
        key_id TEXT NOT NULL REFERENCES keys(id) ON DELETE CASCADE,
        role_id TEXT NOT NULL REFERENCES roles(id) ON DELETE CASCADE,
        PRIMARY KEY (key_id, role_id)
      );
      CREATE TABLE ratelimits (
        id TEXT PRIMARY KEY,
        workspace_id TEXT NOT NULL REFERENCES workspaces(id),
        key_id TEXT REFERENCES keys(id) ON DELETE CASCADE,
        identity_id TEXT REFERENCES identities(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        "limit" INTEGER NOT NULL,
        duration INTEGER NOT NULL,
        auto_apply INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX ratelimits_key ON ratelimits(key_id);
      CREATE INDEX ratelimits_identity ON ratelimits(identity_id);
      CREATE TABLE ratelimit_windows (
        bucket TEXT PRIMARY KEY,
        window_start INTEGER NOT NULL,
        duration INTEGER NOT NULL,
        used INTEGER NOT NULL
      );
    `,
};
