import type { UnkeyVerificationCode } from '@keyguard/core/service';

/*
 * Request and response shapes of Unkey API v2 (https://www.unkey.com/docs/api-reference/v2), camelCase as on the
 * wire: the one definition shared by `UnkeyClient`, the `unkey()` provider, keyguard's local key service and the
 * test fakes. Requests are sent as given: Unkey rejects unknown fields, so these types list exactly what it accepts.
 */

export interface UnkeyMeta {
  requestId: string;
}

export interface UnkeyPagination {
  /** Pass as `cursor` to fetch the next page; present when `hasMore`. */
  cursor?: string;
  hasMore: boolean;
}

export interface UnkeyResponse<T> {
  meta: UnkeyMeta;
  data: T;
}

export interface UnkeyListResponse<T> extends UnkeyResponse<T[]> {
  pagination?: UnkeyPagination;
}

export type EmptyData = Record<string, never>;

// apis.* -------------------------------------------------------------------------------------------------------

export interface CreateApiRequest {
  name: string;
}
export interface CreateApiResponseData {
  apiId: string;
}
export interface GetApiRequest {
  apiId: string;
}
export interface GetApiResponseData {
  id: string;
  name: string;
}
export interface DeleteApiRequest {
  apiId: string;
}
export interface ListKeysRequest {
  apiId: string;
  /** 1..100, default 100. */
  limit?: number;
  cursor?: string;
  externalId?: string;
  decrypt?: boolean;
  revalidateKeysCache?: boolean;
}

// keys.* -------------------------------------------------------------------------------------------------------

export interface CreditsRefill {
  interval: 'daily' | 'monthly';
  amount: number;
  refillDay?: number;
}

export interface KeyCredits {
  /** `null` means unlimited. */
  remaining: number | null;
  refill?: CreditsRefill;
}

export interface KeyRateLimit {
  id: string;
  name: string;
  limit: number;
  /** Window length in ms. */
  duration: number;
  autoApply: boolean;
}

export interface KeyRateLimitInput {
  name: string;
  limit: number;
  /** Window length in ms (≥ 1000). */
  duration: number;
  autoApply?: boolean;
}

/** An identity as Unkey answers it: shared metadata and rate limits for every key linked to its `externalId`. */
export interface IdentityData {
  id: string;
  externalId: string;
  meta?: Record<string, unknown>;
  ratelimits?: KeyRateLimit[];
}

export interface KeyResponseData {
  keyId: string;
  /** The first characters of the key (prefix and four more), safe to show. */
  start: string;
  enabled: boolean;
  /** Unix ms. */
  createdAt: number;
  name?: string;
  meta?: Record<string, unknown>;
  updatedAt?: number;
  lastUsedAt?: number;
  expires?: number;
  permissions?: string[];
  roles?: string[];
  credits?: KeyCredits;
  identity?: IdentityData;
  /** Only for recoverable keys, when asked to decrypt. */
  plaintext?: string;
  ratelimits?: KeyRateLimit[];
}

export interface CreateKeyRequest {
  apiId: string;
  prefix?: string;
  name?: string;
  byteLength?: number;
  externalId?: string;
  meta?: Record<string, unknown>;
  roles?: string[];
  permissions?: string[];
  /** Unix ms. */
  expires?: number;
  credits?: KeyCredits;
  ratelimits?: KeyRateLimitInput[];
  enabled?: boolean;
  recoverable?: boolean;
}
export interface CreateKeyResponseData {
  keyId: string;
  /** The full key: shown once, never stored by the server. */
  key: string;
}
export interface GetKeyRequest {
  keyId: string;
  decrypt?: boolean;
}
export interface WhoamiRequest {
  key: string;
}
export interface DeleteKeyRequest {
  keyId: string;
  permanent?: boolean;
}

/** Partial update: an omitted field is unchanged, `null` clears it; `roles`/`permissions` replace the sets. */
export interface UpdateKeyRequest {
  keyId: string;
  name?: string | null;
  externalId?: string | null;
  meta?: Record<string, unknown> | null;
  expires?: number | null;
  credits?: KeyCredits | null;
  ratelimits?: KeyRateLimitInput[];
  enabled?: boolean;
  roles?: string[];
  permissions?: string[];
}

export interface UpdateCreditsRequest {
  keyId: string;
  operation: 'set' | 'increment' | 'decrement';
  /** Required for increment and decrement; `null` with `set` makes the key unlimited. */
  value?: number | null;
}
export interface UpdateCreditsResponseData {
  remaining: number | null;
  refill?: CreditsRefill;
}

export interface VerifyKeyRequest {
  key: string;
  tags?: string[];
  /** A permission query (`a AND (b OR c)`). */
  permissions?: string;
  credits?: { cost: number };
  ratelimits?: { name: string; cost?: number; limit?: number; duration?: number }[];
  migrationId?: string;
}

export interface VerifyKeyRateLimit {
  id: string;
  name: string;
  limit: number;
  duration: number;
  /** Absolute unix ms in practice. */
  reset: number;
  remaining: number;
  exceeded: boolean;
  autoApply: boolean;
}

export interface VerifyKeyResponseData {
  valid: boolean;
  /** Treat a value outside the known codes as invalid. */
  code: UnkeyVerificationCode | (string & {});
  keyId?: string;
  name?: string;
  meta?: Record<string, unknown>;
  expires?: number;
  credits?: number;
  enabled?: boolean;
  permissions?: string[];
  roles?: string[];
  identity?: IdentityData;
  ratelimits?: VerifyKeyRateLimit[];
}

// permissions.* ------------------------------------------------------------------------------------------------

export interface CreatePermissionRequest {
  name: string;
  slug: string;
  description?: string;
}
export interface CreatePermissionResponseData {
  permissionId: string;
}
export interface CreateRoleRequest {
  name: string;
  description?: string;
  /** Permission slugs granted to the role (created when missing). */
  permissions?: string[];
}
export interface CreateRoleResponseData {
  roleId: string;
}

/** A permission as Unkey answers it (`permissions.getPermission`, `keys.addPermissions`, …). */
export interface PermissionData {
  id: string;
  name: string;
  slug: string;
  description?: string;
}

/** A role as Unkey answers it, with the permissions it grants. */
export interface RoleData {
  id: string;
  name: string;
  description?: string;
  permissions?: PermissionData[];
}

/** A permission by id (`perm_…`) or slug. */
export interface GetPermissionRequest {
  permission: string;
}
/** Deletes the permission and takes it from every key and role that had it. */
export interface DeletePermissionRequest {
  permission: string;
}
export interface ListPermissionsRequest {
  /** 1..100, default 100. */
  limit?: number;
  cursor?: string;
  /** Case-insensitive substring of the id, name, slug or description. */
  search?: string;
}
/** A role by id (`role_…`) or name. */
export interface GetRoleRequest {
  role: string;
}
/** Deletes the role and takes it from every key that had it. */
export interface DeleteRoleRequest {
  role: string;
}
export interface ListRolesRequest {
  /** 1..100, default 100. */
  limit?: number;
  cursor?: string;
  /** Case-insensitive substring of the id, name or description. */
  search?: string;
}

// keys.* permissions, roles and reroll -----------------------------------------------------------------------

/**
 * `keys.addPermissions`, `keys.removePermissions`, `keys.setPermissions`: permission slugs or ids. Adding or setting
 * creates missing permissions (the root key needs `rbac.*.create_permission` for that); removing an unknown one is a
 * 404. The answer lists the key's direct permissions afterwards.
 */
export interface KeyPermissionsRequest {
  keyId: string;
  permissions: string[];
}
export type AddPermissionsRequest = KeyPermissionsRequest;
export type RemovePermissionsRequest = KeyPermissionsRequest;
export type SetPermissionsRequest = KeyPermissionsRequest;

/**
 * `keys.addRoles`, `keys.removeRoles`, `keys.setRoles`: role names or ids, which must exist (404 otherwise). The answer
 * lists the key's roles afterwards (for `setRoles`, the roles set).
 */
export interface KeyRolesRequest {
  keyId: string;
  roles: string[];
}
export type AddRolesRequest = KeyRolesRequest;
export type RemoveRolesRequest = KeyRolesRequest;
export type SetRolesRequest = KeyRolesRequest;

export interface RerollKeyRequest {
  keyId: string;
  /** Milliseconds the original key keeps working (0: it stops at once). */
  expiration: number;
}
/** The new key, with the original's settings; shown once. */
export interface RerollKeyResponseData {
  keyId: string;
  key: string;
}

// identities.* -------------------------------------------------------------------------------------------------

export interface CreateIdentityRequest {
  /** Your id for the user or organisation: 1..255 of letters, digits, `_`, `.`, `-`; unique (409). */
  externalId: string;
  meta?: Record<string, unknown>;
  /** Limits shared by every key of the identity. */
  ratelimits?: KeyRateLimitInput[];
}
export interface CreateIdentityResponseData {
  identityId: string;
}
/** An identity by id (`id_…`) or `externalId`. */
export interface GetIdentityRequest {
  identity: string;
}
export interface ListIdentitiesRequest {
  /** 1..100, default 100. */
  limit?: number;
  cursor?: string;
  /** Case-insensitive substring of the id or external id. */
  search?: string;
}
/** `meta` replaces the metadata (`{}` clears it); `ratelimits` replaces the set (`[]` removes all). Omitted: unchanged. */
export interface UpdateIdentityRequest {
  identity: string;
  meta?: Record<string, unknown>;
  ratelimits?: KeyRateLimitInput[];
}
export interface DeleteIdentityRequest {
  identity: string;
}

// ratelimit.* --------------------------------------------------------------------------------------------------

export interface RatelimitLimitRequest {
  /** Namespace name (created on first use) or id. */
  namespace: string;
  identifier: string;
  limit: number;
  /** Window length in ms (≥ 1000). */
  duration: number;
  cost?: number;
}
/** HTTP 200 whether or not the request passed: look at `success`. */
export interface RatelimitLimitResponseData {
  limit: number;
  remaining: number;
  /** Unix ms at which the window ends. */
  reset: number;
  success: boolean;
  /** The override whose limit applied, if any. */
  overrideId?: string;
}

/** A different limit for identifiers of a namespace: an exact identifier or a pattern with `*` wildcards. */
export interface RatelimitOverrideData {
  overrideId: string;
  duration: number;
  identifier: string;
  limit: number;
}
/** Creates the override, or replaces the one with the same identifier pattern. */
export interface SetOverrideRequest {
  namespace: string;
  identifier: string;
  /** 0 blocks every request. */
  limit: number;
  /** Window length in ms (≥ 1000). */
  duration: number;
}
export interface SetOverrideResponseData {
  overrideId: string;
}
/** `identifier` is the pattern exactly as set (wildcards included), not an identifier it matches. */
export interface GetOverrideRequest {
  namespace: string;
  identifier: string;
}
export interface DeleteOverrideRequest {
  namespace: string;
  identifier: string;
}
export interface ListOverridesRequest {
  namespace: string;
  /** 1..100, default 10. */
  limit?: number;
  cursor?: string;
}
