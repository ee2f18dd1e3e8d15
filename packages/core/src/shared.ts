// Everything that is the same on Node and on fetch-only runtimes. index.ts and edge.ts add the bound factories.
export type * from './types.js';
export { KeyguardError, ConfigurationError, ProviderError } from './errors.js';
export type { ProviderErrorCode } from './errors.js';
export { TransportError } from './runtime/types.js';
export type { TransportErrorCode, TransportOptions } from './runtime/types.js';
export { readKey, DEFAULT_KEY_SOURCES, MAX_KEY_LENGTH } from './reading/read-key.js';
export type { KeySource, ReadKeyOptions, ReadKeyResult, ReadingFailure } from './reading/read-key.js';
export { parsePermissionQuery, evaluatePermissionQuery, matchesPermissions, formatPermissionQuery, PermissionQuerySyntaxError } from './permissions/index.js';
export type { PermissionQuery } from './permissions/index.js';
export { deny, rateLimitHeaders, retryAfterSeconds } from './http/deny.js';
export type { Denial, DenialResponse, DenyOptions, ProblemDetails, RateLimitHeaderStyle } from './http/deny.js';
export { createPermissionCheck } from './guard/permission-check.js';
export type { PermissionCheck, PermissionCheckOptions } from './guard/permission-check.js';
export type { ApiKeyFor, AuthenticationOutcome, Keyguard, KeyguardOptions, OnDenied, RequestParts } from './guard/types.js';
export type { CacheOptions, KeyChange, KeyChangeSource, Verifier, VerifierHooks, VerifierOptions, VerifierStats, VerificationEvent } from './verifier/types.js';
export type { UnkeyProviderOptions } from './providers/unkey.js';
export { DEFAULT_UNKEY_BASE_URL, DEFAULT_PROVIDER_TIMEOUT_MS } from './providers/unkey.js';
export type { ClerkProviderOptions } from './providers/clerk.js';
export { DEFAULT_CLERK_BASE_URL, CLERK_API_VERSION } from './providers/clerk.js';
export { B64TOKEN } from './reading/read-key.js';
export { MAX_PERMISSION_QUERY_LENGTH } from './permissions/index.js';
export {
  UnkeyClientBase,
  DEFAULT_UNKEY_CLIENT_TIMEOUT_MS,
  DEFAULT_RETRY_CONFIG,
  UnkeyApiError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  PreconditionFailedError,
  TooManyRequestsError,
  InternalServerError,
} from './clients/unkey/index.js';
export type * from './clients/unkey/index.js';
export { ClerkClientBase, DEFAULT_CLERK_CLIENT_TIMEOUT_MS, ClerkApiError } from './clients/clerk/index.js';
export type * from './clients/clerk/index.js';
export type { ApiClientOptions } from './clients/client-options.js';
