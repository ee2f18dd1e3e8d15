import type { UnkeyVerificationCode } from '@keyguard/core';

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
}
export interface CreateRoleResponseData {
  roleId: string;
}
