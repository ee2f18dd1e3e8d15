// @keyguard/clerk: Clerk's machine tokens for keyguard — the `clerk()` provider (API keys, M2M tokens opaque and JWT,
// OAuth access tokens) for a verifier, and `ClerkClient` for the Backend API's `api_keys` and `m2m_tokens`
// endpoints. Both share one connection layer, and work against `keyguard serve`.
export { clerk, type ClerkJwtOptions, type ClerkProviderOptions } from './provider.js';
export { ClerkClient, DEFAULT_CLERK_CLIENT_TIMEOUT_MS, type ClerkClientOptions } from './client/client.js';
export { DEFAULT_CLERK_BASE_URL, CLERK_API_VERSION } from './connection.js';
export { ClerkApiError, type ClerkApiErrorCode, type ClerkApiErrorDetails, type ClerkErrorItem } from './errors.js';
export { CLERK_TOKEN_KINDS, type ClerkTokenKind } from './machine/token-kind.js';
export type { ClerkApiKeys } from './client/api-keys.js';
export type * from './types.js';
export type { M2MToken, OAuthAccessToken, RevokeM2MTokenRequest } from './machine/types.js';
export type { ClerkM2MTokens } from './client/m2m-tokens.js';
