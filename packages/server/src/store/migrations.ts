/** Ordered schema migrations. Append only: a released migration is never edited, a change is a new entry. */
export interface Migration {
  /** The schema version after this migration (1, 2, …; `schema_version` holds the last one applied). */
  version: number;
  /** What it changes, in a few words. */
  description: string;
  /** The SQL it runs, in one transaction with the version update. */
  sql: string;
}

/** Every migration of the schema, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  {
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
  },
  {
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
  },
  {
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
  },
  {
    version: 4,
    description: 'root keys get an optional name, for `keyguard root-keys list`',
    sql: `
      ALTER TABLE root_keys ADD COLUMN name TEXT;
    `,
  },
  {
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
  },
  {
    version: 6,
    description:
      'the audit log of management operations; audit.*.read_audit_log for the root keys that held every permission before',
    sql: `
      CREATE TABLE audit_log (
        seq INTEGER PRIMARY KEY AUTOINCREMENT, workspace_id TEXT NOT NULL, time INTEGER NOT NULL,
        action TEXT NOT NULL, operation TEXT NOT NULL, actor_type TEXT NOT NULL, actor_id TEXT NOT NULL,
        target_type TEXT NOT NULL, target_id TEXT, before TEXT, after TEXT, detail TEXT,
        status INTEGER NOT NULL, error_code TEXT, remote_address TEXT, user_agent TEXT, request_id TEXT NOT NULL
      );
      CREATE INDEX audit_log_workspace ON audit_log(workspace_id, seq);
      CREATE INDEX audit_log_time ON audit_log(time);
      INSERT OR IGNORE INTO root_key_permissions (root_key_id, permission)
        SELECT root_key_id, 'audit.*.read_audit_log' FROM root_key_permissions
        WHERE permission IN (
          'rbac.*.create_root_key', 'rbac.*.read_root_key', 'rbac.*.delete_root_key', 'api.*.create_api',
          'api.*.read_api', 'api.*.delete_api', 'api.*.create_key', 'api.*.read_key', 'api.*.update_key',
          'api.*.delete_key', 'api.*.verify_key', 'api.*.decrypt_key', 'api.*.encrypt_key',
          'rbac.*.create_permission', 'rbac.*.read_permission', 'rbac.*.delete_permission',
          'rbac.*.create_role', 'rbac.*.read_role', 'rbac.*.delete_role', 'rbac.*.add_permission_to_key',
          'rbac.*.remove_permission_from_key', 'rbac.*.add_role_to_key', 'rbac.*.remove_role_from_key',
          'identity.*.create_identity', 'identity.*.read_identity', 'identity.*.update_identity',
          'identity.*.delete_identity', 'ratelimit.*.create_namespace', 'ratelimit.*.limit',
          'ratelimit.*.set_override', 'ratelimit.*.read_override', 'ratelimit.*.delete_override'
        )
        GROUP BY root_key_id HAVING COUNT(*) = 32;
    `,
  },
  {
    version: 7,
    description: 'a machine secret key can expire: the previous key after a rotation, for its grace period',
    sql: `
      ALTER TABLE clerk_machine_secret_keys ADD COLUMN expires_at INTEGER;
    `,
  },
];
