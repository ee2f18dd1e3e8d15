import { keyId, permissionSlug, roleName } from '../../../validation/rules.js';
import { array, object, required } from '../../../validation/schema.js';

/** `{keyId, permissions: 1..1000 ids or slugs}` of keys.addPermissions / removePermissions. */
export const keyPermissionsBody = (min: number) =>
  object({ keyId: required(keyId()), permissions: required(array(permissionSlug(), { min, max: 1000 })) });

/** `{keyId, roles: 1..100 ids or names}` of keys.addRoles / removeRoles. */
export const keyRolesBody = (min: number) =>
  object({ keyId: required(keyId()), roles: required(array(roleName(), { min, max: 100 })) });
