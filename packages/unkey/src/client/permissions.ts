import type { Call } from '../connection.js';
import type {
  CreatePermissionRequest,
  CreatePermissionResponseData,
  CreateRoleRequest,
  CreateRoleResponseData,
  DeletePermissionRequest,
  DeleteRoleRequest,
  EmptyData,
  GetPermissionRequest,
  GetRoleRequest,
  ListPermissionsRequest,
  ListRolesRequest,
  PermissionData,
  RoleData,
  UnkeyListResponse,
  UnkeyResponse,
} from '../wire.js';
import { allPages, listOperation } from './pages.js';

/** `permissions.*` of Unkey API v2 (permissions and roles): `client.permissions`. */
export interface UnkeyPermissions {
  /** Creating twice answers 409 Conflict, so this is retried only when never sent. */
  createPermission(request: CreatePermissionRequest): Promise<UnkeyResponse<CreatePermissionResponseData>>;
  /** `permissions.getPermission`: by id or slug. */
  getPermission(request: GetPermissionRequest): Promise<UnkeyResponse<PermissionData>>;
  /** One page of permissions; pass `pagination.cursor` back as `cursor` while `pagination.hasMore`. */
  listPermissions(request?: ListPermissionsRequest): Promise<UnkeyListResponse<PermissionData>>;
  /** Every page, following the cursor to the last page. */
  listPermissionsAll(
    request?: ListPermissionsRequest,
  ): AsyncGenerator<UnkeyListResponse<PermissionData>, void, undefined>;
  /** Takes the permission from every key and role. Emits a change for every key (the client cannot tell which had it). */
  deletePermission(request: DeletePermissionRequest): Promise<UnkeyResponse<EmptyData>>;
  /** Creating twice answers 409 Conflict, so this is retried only when never sent. */
  createRole(request: CreateRoleRequest): Promise<UnkeyResponse<CreateRoleResponseData>>;
  /** `permissions.getRole`: by id or name, with its permissions. */
  getRole(request: GetRoleRequest): Promise<UnkeyResponse<RoleData>>;
  /** One page of roles; pass `pagination.cursor` back as `cursor` while `pagination.hasMore`. */
  listRoles(request?: ListRolesRequest): Promise<UnkeyListResponse<RoleData>>;
  /** Every page, following the cursor to the last page. */
  listRolesAll(request?: ListRolesRequest): AsyncGenerator<UnkeyListResponse<RoleData>, void, undefined>;
  /** Takes the role from every key. Emits a change for every key. */
  deleteRole(request: DeleteRoleRequest): Promise<UnkeyResponse<EmptyData>>;
}

export function createPermissionsGroup(call: Call, everyKeyChanged: () => void): UnkeyPermissions {
  const send = async <T>(
    operation: string,
    request: object,
    policy: 'repeatable' | 'unsent-only',
  ): Promise<UnkeyResponse<T>> => {
    const { meta, data } = await call<T>(operation, request, policy);
    return { meta, data };
  };
  // Deleting twice ends in the same state (the second answers 404), so a lost answer may be retried.
  const deleting = async (operation: string, request: object): Promise<UnkeyResponse<EmptyData>> => {
    const response = await send<EmptyData>(operation, request, 'repeatable');
    everyKeyChanged();
    return response;
  };
  const listPermissions = listOperation<ListPermissionsRequest, PermissionData>(call, 'permissions.listPermissions');
  const listRoles = listOperation<ListRolesRequest, RoleData>(call, 'permissions.listRoles');
  return {
    createPermission: (request) => send('permissions.createPermission', request, 'unsent-only'),
    getPermission: (request) => send('permissions.getPermission', request, 'repeatable'),
    listPermissions: (request = {}) => listPermissions(request),
    listPermissionsAll: (request = {}) => allPages('permissions.listPermissions', request, listPermissions),
    deletePermission: (request) => deleting('permissions.deletePermission', request),
    createRole: (request) => send('permissions.createRole', request, 'unsent-only'),
    getRole: (request) => send('permissions.getRole', request, 'repeatable'),
    listRoles: (request = {}) => listRoles(request),
    listRolesAll: (request = {}) => allPages('permissions.listRoles', request, listRoles),
    deleteRole: (request) => deleting('permissions.deleteRole', request),
  };
}
