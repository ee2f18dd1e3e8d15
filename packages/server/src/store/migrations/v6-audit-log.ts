import type { Migration } from './types.js';

/** Schema version 6. Released: never edited, a change is a new migration. */
export const auditLog: Migration = {
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
};
