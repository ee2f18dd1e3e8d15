// @keyguard/clerk: Clerk API keys for keyguard — the `clerk()` provider for a verifier, and `ClerkClient` for the
// Backend API's `api_keys` endpoints. Both share one connection layer, and work against `keyguard serve`.
export { clerk, type ClerkProviderOptions } from './provider.js';
export { ClerkClient, DEFAULT_CLERK_CLIENT_TIMEOUT_MS, type ClerkClientOptions } from './client/client.js';
export { DEFAULT_CLERK_BASE_URL, CLERK_API_VERSION } from './connection.js';
export { ClerkApiError, type ClerkApiErrorCode, type ClerkApiErrorDetails, type ClerkErrorItem } from './errors.js';
export type { ClerkApiKeys } from './client/api-keys.js';
export type * from './types.js';
