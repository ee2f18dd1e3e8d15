// @keyguard/unkey: Unkey's key service for keyguard — the `unkey()` provider for a verifier, and `UnkeyClient` for
// managing APIs and keys. Both speak Unkey API v2 over one connection layer, and work against `keyguard serve`.
export { unkey, type UnkeyProviderOptions } from './provider.js';
export { UnkeyClient, DEFAULT_UNKEY_CLIENT_TIMEOUT_MS, type UnkeyClientOptions } from './client/client.js';
export { DEFAULT_UNKEY_BASE_URL } from './connection.js';
export { UnkeyApiError, type UnkeyApiErrorCode, type UnkeyApiErrorDetails, type UnkeyErrorItem } from './errors.js';
export type { UnkeyApis } from './client/apis.js';
export type { UnkeyKeys } from './client/keys.js';
export type { UnkeyPermissions } from './client/permissions.js';
export type { UnkeyIdentities } from './client/identities.js';
export type { UnkeyRatelimit } from './client/ratelimit.js';
export type * from './wire.js';
export { unkeyRateLimitBackend, type UnkeyRateLimitBackendOptions } from './rate-limit/backend.js';
