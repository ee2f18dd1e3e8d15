import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { conflict } from '../../../api-error.js';
import { permissionSlug, roleName } from '../../../validation/rules.js';
import { array, object, optional, required, string } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { createdId } from '../../../audit/targets/target.js';
import { roleTarget } from '../../../audit/targets/resources.js';

/**
 * `{name, description?}` → `{roleId}`. keyguard extension: `permissions` (slugs, created when missing) are granted
 * to the role, since the v2 API has no other way to attach permissions to a role.
 */
export const createRole = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/permissions.createRole',
  body: object({
    name: required(roleName()),
    description: optional(string({ max: 512 })),
    permissions: optional(array(permissionSlug(), { max: 1000 })),
  }),
  audit: { action: 'role.create', target: ({ body }, result) => roleTarget(createdId(result, 'roleId') ?? body.name) },
  handle({ store, rootKey, now }, { body }) {
    requireAny(rootKey, ['rbac.*.create_role']);
    return store.transaction(() => {
      if (store.roles.findByName(rootKey.workspaceId, body.name)) {
        throw conflict('ROLE_ALREADY_EXISTS', `A role named "${body.name}" already exists.`);
      }
      const role = store.roles.create(
        rootKey.workspaceId,
        { name: body.name, description: body.description ?? null },
        now,
      );
      store.roles.grant(role.id, store.permissions.ensure(rootKey.workspaceId, body.permissions ?? [], now));
      return { data: { roleId: role.id } };
    });
  },
});
