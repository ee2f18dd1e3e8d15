import type { PermissionData, RoleData } from '@keyguard/unkey';
import type { Store } from '../../../store/store.js';
import type { PermissionRecord } from '../../../store/repositories/permissions.js';
import type { RoleRecord } from '../../../store/repositories/roles.js';

export const permissionData = (permission: PermissionRecord): PermissionData => ({
  id: permission.id,
  name: permission.name,
  slug: permission.slug,
  ...(permission.description !== null ? { description: permission.description } : {}),
});

/** The role with the permissions it grants. */
export function roleData(store: Store, role: RoleRecord): RoleData {
  const permissions = store.roles.permissions(role.id);
  return {
    id: role.id,
    name: role.name,
    ...(role.description !== null ? { description: role.description } : {}),
    ...(permissions.length > 0 ? { permissions: permissions.map(permissionData) } : {}),
  };
}
