import type { Call } from '../connection.js';
import type {
  AddPermissionsRequest,
  AddRolesRequest,
  CreateKeyRequest,
  CreateKeyResponseData,
  DeleteKeyRequest,
  EmptyData,
  GetKeyRequest,
  KeyResponseData,
  PermissionData,
  RemovePermissionsRequest,
  RemoveRolesRequest,
  RerollKeyRequest,
  RerollKeyResponseData,
  RoleData,
  SetPermissionsRequest,
  SetRolesRequest,
  UnkeyResponse,
  UpdateCreditsRequest,
  UpdateCreditsResponseData,
  UpdateKeyRequest,
  VerifyKeyRequest,
  VerifyKeyResponseData,
  WhoamiRequest,
} from '../wire.js';

/** `keys.*` of Unkey API v2: `client.keys`. */
export interface UnkeyKeys {
  /** Not retried after it may have reached Unkey: a repeat would create a second key. */
  createKey(request: CreateKeyRequest): Promise<UnkeyResponse<CreateKeyResponseData>>;
  /** `keys.getKey`: a key's settings by `keyId` (`decrypt` asks for the plaintext, when Unkey stores it). */
  getKey(request: GetKeyRequest): Promise<UnkeyResponse<KeyResponseData>>;
  /** `keys.whoami`: a key's settings by the key itself (sent, never logged). */
  whoami(request: WhoamiRequest): Promise<UnkeyResponse<KeyResponseData>>;
  /** Emits a key change for `keyId` once Unkey confirmed. */
  deleteKey(request: DeleteKeyRequest): Promise<UnkeyResponse<EmptyData>>;
  /** Emits a key change for `keyId` once Unkey confirmed. */
  updateKey(request: UpdateKeyRequest): Promise<UnkeyResponse<EmptyData>>;
  /** Emits a key change for `keyId` once Unkey confirmed. */
  updateCredits(request: UpdateCreditsRequest): Promise<UnkeyResponse<UpdateCreditsResponseData>>;
  /** Never retried after it may have reached Unkey: it may have spent a credit or a rate-limit token. */
  verifyKey(request: VerifyKeyRequest): Promise<UnkeyResponse<VerifyKeyResponseData>>;
  /** Grants permissions (ids or slugs; missing ones are created); answers the key's direct permissions. Emits a key change. */
  addPermissions(request: AddPermissionsRequest): Promise<UnkeyResponse<PermissionData[]>>;
  /** Takes direct permissions (each must exist); answers the remaining ones. Emits a key change. */
  removePermissions(request: RemovePermissionsRequest): Promise<UnkeyResponse<PermissionData[]>>;
  /** Replaces the direct permissions; answers them. Emits a key change. */
  setPermissions(request: SetPermissionsRequest): Promise<UnkeyResponse<PermissionData[]>>;
  /** Gives roles (ids or names, which must exist); answers the key's roles. Emits a key change. */
  addRoles(request: AddRolesRequest): Promise<UnkeyResponse<RoleData[]>>;
  /** Takes roles; answers the remaining ones. Emits a key change. */
  removeRoles(request: RemoveRolesRequest): Promise<UnkeyResponse<RoleData[]>>;
  /** Replaces the roles; answers them. Emits a key change. */
  setRoles(request: SetRolesRequest): Promise<UnkeyResponse<RoleData[]>>;
  /**
   * A new key with the same settings; the original (`keyId`) stops working `expiration` ms from now. Emits a key
   * change for the original. Not retried after it may have reached Unkey: a repeat would issue another key.
   */
  rerollKey(request: RerollKeyRequest): Promise<UnkeyResponse<RerollKeyResponseData>>;
}

type Policy = 'repeatable' | 'unsent-only';

export function createKeysGroup(call: Call, keyChanged: (keyId: string) => void): UnkeyKeys {
  const send = async <T>(
    operation: string,
    request: object,
    policy: Policy,
    secrets?: readonly string[],
  ): Promise<UnkeyResponse<T>> => {
    const { meta, data } = await call<T>(operation, request, policy, { secrets });
    return { meta, data };
  };
  const changing = async <T>(
    operation: string,
    request: { keyId: string },
    policy: Policy,
  ): Promise<UnkeyResponse<T>> => {
    const response = await send<T>(operation, request, policy);
    keyChanged(request.keyId);
    return response;
  };

  return {
    createKey: (request) => send('keys.createKey', request, 'unsent-only'),
    getKey: (request) => send('keys.getKey', request, 'repeatable'),
    // The key looked up is a secret too: redacted from anything the server echoes.
    whoami: (request) => send('keys.whoami', request, 'repeatable', [request.key]),
    // Idempotent: a second delete of the same key changes nothing (it answers 404).
    deleteKey: (request) => changing('keys.deleteKey', request, 'repeatable'),
    // A partial update is not safe to replay blindly (it may race a newer update), so only when never sent.
    updateKey: (request) => changing('keys.updateKey', request, 'unsent-only'),
    // increment/decrement are not idempotent.
    updateCredits: (request) => changing('keys.updateCredits', request, 'unsent-only'),
    verifyKey: (request) => send('keys.verifyKey', request, 'unsent-only', [request.key]),
    // Adding, removing or setting the same entries twice ends in the same state, so a lost answer may be retried.
    addPermissions: (request) => changing('keys.addPermissions', request, 'repeatable'),
    removePermissions: (request) => changing('keys.removePermissions', request, 'repeatable'),
    setPermissions: (request) => changing('keys.setPermissions', request, 'repeatable'),
    addRoles: (request) => changing('keys.addRoles', request, 'repeatable'),
    removeRoles: (request) => changing('keys.removeRoles', request, 'repeatable'),
    setRoles: (request) => changing('keys.setRoles', request, 'repeatable'),
    rerollKey: (request) => changing('keys.rerollKey', request, 'unsent-only'),
  };
}
