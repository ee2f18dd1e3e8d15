import { requireAny } from '../../../domain/permissions/root-key-permissions.js';
import { conflict } from '../../../api-error.js';
import { permissionSlug } from '../../../validation/rules.js';
import { object, optional, required, string } from '../../../validation/schema.js';
import { defineUnkeyOperation } from '../../operation.js';
import { createdId } from '../../../audit/targets/target.js';
import { permissionTarget } from '../../../audit/targets/resources.js';

export const createPermission = defineUnkeyOperation({
  method: 'POST',
  path: '/v2/permissions.createPermission',
  body: object({
    name: required(string({ min: 1, max: 512 })),
    slug: required(permissionSlug()),
    description: optional(string({ max: 512 })),
  }),
  audit: {
    action: 'permission.create',
    target: ({ body }, result) => permissionTarget(createdId(result, 'permissionId') ?? body.slug),
  },
  handle({ store, rootKey, now }, { body }) {
    requireAny(rootKey, ['rbac.*.create_permission']);
    return store.transaction(() => {
      if (store.permissions.findBySlug(rootKey.workspaceId, body.slug)) {
        throw conflict('PERMISSION_ALREADY_EXISTS', `A permission with the slug "${body.slug}" already exists.`);
      }
      const permission = store.permissions.create(
        rootKey.workspaceId,
        { name: body.name, slug: body.slug, description: body.description ?? null },
        now,
      );
      return { data: { permissionId: permission.id } };
    });
  },
});
