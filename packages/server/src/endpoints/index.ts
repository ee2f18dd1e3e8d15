import { createApi } from './apis/create-api.js';
import { deleteApi } from './apis/delete-api.js';
import { getApi } from './apis/get-api.js';
import { listKeys } from './apis/list-keys.js';
import type { Endpoint } from './endpoint.js';
import { createKey } from './keys/create-key.js';
import { deleteKey } from './keys/delete-key.js';
import { getKey } from './keys/get-key.js';
import { updateCredits } from './keys/update-credits.js';
import { updateKey } from './keys/update-key.js';
import { verifyKey } from './keys/verify-key.js';
import { whoami } from './keys/whoami.js';
import { createPermission } from './permissions/create-permission.js';
import { createRole } from './permissions/create-role.js';
import { limit } from './ratelimit/limit.js';

/** Every `POST /v2/<operation>` the server answers. */
export const ENDPOINTS: readonly Endpoint[] = [
  createApi,
  getApi,
  deleteApi,
  listKeys,
  createKey,
  verifyKey,
  getKey,
  whoami,
  deleteKey,
  updateKey,
  updateCredits,
  createPermission,
  createRole,
  limit,
];
