import { createApi } from './apis/create-api.js';
import { deleteApi } from './apis/delete-api.js';
import { getApi } from './apis/get-api.js';
import { listKeys } from './apis/list-keys.js';
import type { UnkeyOperation } from '../operation.js';
import { createIdentity } from './identities/create-identity.js';
import { deleteIdentity } from './identities/delete-identity.js';
import { getIdentity } from './identities/get-identity.js';
import { listIdentities } from './identities/list-identities.js';
import { updateIdentity } from './identities/update-identity.js';
import { addPermissions } from './keys/add-permissions.js';
import { addRoles } from './keys/add-roles.js';
import { createKey } from './keys/create-key.js';
import { deleteKey } from './keys/delete-key.js';
import { getKey } from './keys/get-key.js';
import { removePermissions } from './keys/remove-permissions.js';
import { removeRoles } from './keys/remove-roles.js';
import { rerollKey } from './keys/reroll-key.js';
import { setPermissions } from './keys/set-permissions.js';
import { setRoles } from './keys/set-roles.js';
import { updateCredits } from './keys/update-credits.js';
import { updateKey } from './keys/update-key.js';
import { verifyKey } from './keys/verify-key.js';
import { whoami } from './keys/whoami.js';
import { createPermission } from './permissions/create-permission.js';
import { createRole } from './permissions/create-role.js';
import { deletePermission } from './permissions/delete-permission.js';
import { deleteRole } from './permissions/delete-role.js';
import { getPermission } from './permissions/get-permission.js';
import { getRole } from './permissions/get-role.js';
import { listPermissions } from './permissions/list-permissions.js';
import { listRoles } from './permissions/list-roles.js';
import { deleteOverride } from './ratelimit/delete-override.js';
import { getOverride } from './ratelimit/get-override.js';
import { limit } from './ratelimit/limit.js';
import { listOverrides } from './ratelimit/list-overrides.js';
import { setOverride } from './ratelimit/set-override.js';

/** Every `POST /v2/<operation>` the server answers: the 36 operations of Unkey's API v2 for keys, identities, permissions and rate limits. */
export const UNKEY_OPERATIONS: readonly UnkeyOperation[] = [
  createApi,
  getApi,
  deleteApi,
  listKeys,
  createIdentity,
  getIdentity,
  listIdentities,
  updateIdentity,
  deleteIdentity,
  createKey,
  verifyKey,
  getKey,
  whoami,
  deleteKey,
  updateKey,
  updateCredits,
  addPermissions,
  removePermissions,
  setPermissions,
  addRoles,
  removeRoles,
  setRoles,
  rerollKey,
  createPermission,
  getPermission,
  listPermissions,
  deletePermission,
  createRole,
  getRole,
  listRoles,
  deleteRole,
  limit,
  setOverride,
  getOverride,
  listOverrides,
  deleteOverride,
];
