// What the Node, Bun and fetch builds of `.` share; index.ts and entries/index.{bun,edge}.ts add the factories.
// The root exports what a user of the verifier needs; what key-service packages are built from is in `./service`.
export type {
  HeaderBag,
  KeyIdentity,
  Logger,
  Provider,
  ProviderAnswer,
  RateLimitState,
  VerificationCode,
  Verification,
  VerificationSource,
  VerificationCost,
  VerifiedKey,
} from './types.js';
export { KeyguardError, ConfigurationError, ProviderError } from './errors.js';
export type { ProviderErrorCode } from './errors.js';
export { readKey, DEFAULT_KEY_SOURCES, MAX_KEY_LENGTH } from './reading/read-key.js';
export type { KeySource, ReadKeyOptions, ReadKeyResult, ReadingFailure } from './reading/types.js';
export {
  parsePermissionQuery,
  evaluatePermissionQuery,
  matchesPermissions,
  formatPermissionQuery,
  PermissionQuerySyntaxError,
  MAX_PERMISSION_QUERY_LENGTH,
} from './permissions/index.js';
export type { PermissionQuery } from './permissions/index.js';
export { deny, rateLimitHeaders, retryAfterSeconds } from './http/deny.js';
export { mergeRateLimitHeaders } from './http/merge-rate-limit-headers.js';
export type { ExistingHeader, MergedRateLimitHeaders } from './http/merge-rate-limit-headers.js';
export type { Denial, DenialResponse, DenyOptions, ProblemDetails, RateLimitHeaderStyle } from './http/types.js';
export { createPermissionCheck } from './guard/permission-check.js';
export type { PermissionCheck, PermissionCheckOptions } from './guard/permission-check.js';
export type {
  AdapterOptions,
  ApiKeyFor,
  AuthenticationOutcome,
  Keyguard,
  KeyguardOptions,
  KeyKind,
  OnDenied,
  RequestGuard,
  RequestParts,
  RouteOverrides,
} from './guard/types.js';
export type {
  CacheOptions,
  Fleet,
  KeyChange,
  KeyChangeSource,
  Verifier,
  VerifierHooks,
  VerifierOptions,
  VerifierStats,
  VerificationEvent,
  VerifyOptions,
  WaitUntil,
} from './verifier/types.js';
export type { VerifierLimits } from './verifier/stats.js';
export type { Telemetry } from './telemetry/types.js';
export type { MeteringOptions } from './verifier/types.js';
export type { MeteringStats } from './verifier/stats.js';
export { memoryRateLimitBackend } from './rate-limit/memory-backend.js';
export type { MemoryRateLimitBackend, MemoryRateLimitBackendOptions } from './rate-limit/memory-backend.js';
export { RateLimitBackendError } from './rate-limit/backend-error.js';
export type { RateLimitBackendErrorCode } from './rate-limit/backend-error.js';
export { MAX_IDENTIFIER_LENGTH } from './rate-limit/identifier.js';
export type {
  IdentifierSource,
  RateLimitAnswer,
  RateLimitBackend,
  RateLimitCall,
  RateLimitDuration,
  RateLimitOptions,
  RateLimitOutcome,
  RateLimitRequest,
  RateLimitRule,
  RateLimiter,
  RateLimitStats,
  TrustProxy,
} from './rate-limit/types.js';
export {
  identifierSources,
  requireAddressSource,
  routeRateLimitOptions,
  RouteRateLimiters,
} from './rate-limit/adapter-support.js';
export type { CreateRateLimiter, RateLimitRouteOptions } from './rate-limit/adapter-support.js';
