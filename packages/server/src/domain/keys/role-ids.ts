import { notFound } from '../../api-error.js';
import type { Store } from '../../store/store.js';

/** Role ids for these names; every role must exist (404 naming the first missing one otherwise). */
export function existingRoleIds(store: Store, workspaceId: string, names: readonly string[]): string[] {
  return [...new Set(names)].map((name) => {
    const role = store.roles.findByName(workspaceId, name);
    if (!role)
      throw notFound(
        'ROLE_NOT_FOUND',
        `The role "${name}" does not exist; create it with permissions.createRole first.`,
      );
    return role.id;
  });
}
