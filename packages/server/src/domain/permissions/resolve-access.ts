import { requireAny } from './root-key-permissions.js';
import type { Store } from '../../store/store.js';
import type { RootKeyRecord } from '../../store/types.js';
import { findPermission, findRole } from './find-access.js';

/**
 * Permission ids for these ids or slugs. Missing ones are created (named after their slug) when the root key may
 * create permissions, as Unkey does; otherwise 403.
 */
export function permissionIdsFor(
  store: Store,
  rootKey: RootKeyRecord,
  permissions: readonly string[],
  now: number,
): string[] {
  const ids = new Set<string>();
  for (const permission of new Set(permissions)) {
    let found = store.permissions.find(rootKey.workspaceId, permission);
    if (!found) {
      requireAny(rootKey, ['rbac.*.create_permission']);
      found = store.permissions.create(
        rootKey.workspaceId,
        { name: permission, slug: permission, description: null },
        now,
      );
    }
    ids.add(found.id);
  }
  return [...ids];
}

/** Permission ids for these ids or slugs, every one of which must exist (404 naming the first missing one). */
export const existingPermissionIds = (store: Store, workspaceId: string, permissions: readonly string[]): string[] => [
  ...new Set(permissions.map((permission) => findPermission(store, workspaceId, permission).id)),
];

/** Role ids for these ids or names, every one of which must exist (404 naming the first missing one). */
export const existingRoleIdsFor = (store: Store, workspaceId: string, roles: readonly string[]): string[] => [
  ...new Set(roles.map((role) => findRole(store, workspaceId, role).id)),
];
