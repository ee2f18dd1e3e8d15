import { forbidden } from '../../api-error.js';
import type { RootKeyRecord } from '../../store/types.js';

/** Root-key actions on APIs, as in Unkey: `api.*.<action>` grants it on every API, `api.<apiId>.<action>` on one. */
export type ApiAction =
  | 'create_api'
  | 'read_api'
  | 'delete_api'
  | 'create_key'
  | 'read_key'
  | 'update_key'
  | 'delete_key'
  | 'verify_key'
  | 'decrypt_key'
  | 'encrypt_key';

/**
 * Managing root keys (keyguard's own `/v2/keyguard.*Root*` routes; Unkey does it in its dashboard), named like
 * Unkey's other `rbac.*` permissions. `*` grants them too.
 */
export const ROOT_KEY_MANAGEMENT_PERMISSIONS = [
  'rbac.*.create_root_key',
  'rbac.*.read_root_key',
  'rbac.*.delete_root_key',
] as const;

/** Reading the audit log (`/v2/keyguard.listAuditLogs`, keyguard's own): the actions of every root key of the workspace. */
export const AUDIT_READ_PERMISSION = 'audit.*.read_audit_log';

/** Every permission the local server checks; the bootstrap root key gets all of them. */
export const ALL_ROOT_PERMISSIONS: readonly string[] = [
  'api.*.create_api',
  'api.*.read_api',
  'api.*.delete_api',
  'api.*.create_key',
  'api.*.read_key',
  'api.*.update_key',
  'api.*.delete_key',
  'api.*.verify_key',
  'api.*.decrypt_key',
  'api.*.encrypt_key',
  'rbac.*.create_permission',
  'rbac.*.read_permission',
  'rbac.*.delete_permission',
  'rbac.*.create_role',
  'rbac.*.read_role',
  'rbac.*.delete_role',
  'rbac.*.add_permission_to_key',
  'rbac.*.remove_permission_from_key',
  'rbac.*.add_role_to_key',
  'rbac.*.remove_role_from_key',
  'identity.*.create_identity',
  'identity.*.read_identity',
  'identity.*.update_identity',
  'identity.*.delete_identity',
  'ratelimit.*.create_namespace',
  'ratelimit.*.limit',
  'ratelimit.*.set_override',
  'ratelimit.*.read_override',
  'ratelimit.*.delete_override',
  ...ROOT_KEY_MANAGEMENT_PERMISSIONS,
  AUDIT_READ_PERMISSION,
];

export const mayOnApi = (rootKey: RootKeyRecord, action: ApiAction, apiId: string): boolean =>
  rootKey.permissions.has(`api.*.${action}`) || rootKey.permissions.has(`api.${apiId}.${action}`);

/** Whether the root key holds the action for at least one API (or all). */
export const mayOnSomeApi = (rootKey: RootKeyRecord, action: ApiAction): boolean => {
  // Asked on every verification: a root key holding the action on every API answers without the scan.
  if (rootKey.permissions.has(`api.*.${action}`)) return true;
  const suffix = `.${action}`;
  for (const permission of rootKey.permissions)
    if (permission.startsWith('api.') && permission.endsWith(suffix)) return true;
  return false;
};

const needed = (permissions: readonly string[]) =>
  `This root key lacks the permission for this operation; it needs ${permissions.join(' or ')}.`;

/** 403 unless the root key may do `action` on this API. */
export function requireOnApi(rootKey: RootKeyRecord, action: ApiAction, apiId: string): void {
  if (!mayOnApi(rootKey, action, apiId)) throw forbidden(needed([`api.*.${action}`, `api.${apiId}.${action}`]));
}

/** 403 unless the root key may do `action` on some API (checked before looking anything up). */
export function requireOnSomeApi(rootKey: RootKeyRecord, action: ApiAction): void {
  if (!mayOnSomeApi(rootKey, action)) throw forbidden(needed([`api.*.${action}`, `api.<apiId>.${action}`]));
}

/** 403 unless the root key holds one of these exact permissions. */
export function requireAny(rootKey: RootKeyRecord, permissions: readonly string[]): void {
  if (!permissions.some((permission) => rootKey.permissions.has(permission))) throw forbidden(needed(permissions));
}
