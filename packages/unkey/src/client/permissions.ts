import type { Call } from '../connection.js';
import type { CreatePermissionRequest, CreatePermissionResponseData, CreateRoleRequest, CreateRoleResponseData, UnkeyResponse } from '../wire.js';

export interface UnkeyPermissions {
  createPermission(request: CreatePermissionRequest): Promise<UnkeyResponse<CreatePermissionResponseData>>;
  createRole(request: CreateRoleRequest): Promise<UnkeyResponse<CreateRoleResponseData>>;
}

export function createPermissionsGroup(call: Call): UnkeyPermissions {
  const send = async <T>(operation: string, request: object): Promise<UnkeyResponse<T>> => {
    // Creating twice answers 409 Conflict, so these are retried only when never sent.
    const { meta, data } = await call<T>(operation, request, 'unsent-only');
    return { meta, data };
  };
  return {
    createPermission: (request) => send('permissions.createPermission', request),
    createRole: (request) => send('permissions.createRole', request),
  };
}
