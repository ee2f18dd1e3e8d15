import { notFound } from '../../api-error.js';
import type { Store } from '../../store/store.js';
import type { PermissionRecord } from '../../store/repositories/permissions.js';
import type { RoleRecord } from '../../store/repositories/roles.js';

/** The permission `permission` (id or slug) of the workspace, else 404. */
export function findPermission(store: Store, workspaceId: string, permission: string): PermissionRecord {
  const found = store.permissions.find(workspaceId, permission);
  if (!found) throw notFound('PERMISSION_NOT_FOUND', `The permission "${permission}" does not exist.`);
  return found;
}

/** The role `role` (id or name) of the workspace, else 404. */
export function findRole(store: Store, workspaceId: string, role: string): RoleRecord {
  const found = store.roles.find(workspaceId, role);
  if (!found) throw notFound('ROLE_NOT_FOUND', `The role "${role}" does not exist.`);
  return found;
}
