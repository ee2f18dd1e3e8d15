// `@keyguard/core/service`: what a key-service package (`@keyguard/unkey`, `@keyguard/clerk`, or your own provider
// and client) is built from. Runtime-neutral; the runtimes themselves come from `@keyguard/core/runtime`.
export type {
  HttpMethod,
  HttpRequest,
  HttpResponse,
  HttpTransport,
  Runtime,
  TransportErrorCode,
  TransportOptions,
} from '../runtime/types.js';
export { TransportError } from '../runtime/transport-error.js';
export { DEFAULT_MAX_RESPONSE_BYTES } from '../runtime/transport-options.js';
export { ApiConnection, connectionTuning } from '../service/api-connection.js';
export type { ApiCall, ApiConnectionOptions, ConnectionTuning } from '../service/api-connection.js';
export type { ApiClientOptions } from '../service/client-options.js';
export { KeyChangeListeners } from '../service/key-change-listeners.js';
export type { KeyChangeListener } from '../service/key-change-listeners.js';
export { redactorFor, redactJson, REDACTED } from '../service/redact.js';
export { loggableUrl } from '../service/loggable-url.js';
export type { Redact } from '../service/redact.js';
export type { RetryPolicy, StatusError } from '../service/retry-policy.js';
export { DEFAULT_RETRY_CONFIG } from '../service/retry.js';
export type { BackoffStrategy, RetryConfig } from '../service/retry-config.js';
export { isRecord, parseJsonObject } from '../service/json.js';
export { toBase64Url, fromBase64Url } from '../service/base64url.js';
export { parseRetryAfter } from '../service/retry-after.js';
export { providerErrorFor } from '../service/provider-error.js';
export type { ClientFailure } from '../service/provider-error.js';
export { DEFAULT_PROVIDER_TIMEOUT_MS, PROVIDER_RETRY_CONFIG } from '../service/provider-defaults.js';
// Types for those who implement a provider, a fleet (`@keyguard/redis`) or a telemetry bridge, not for the verifier's users.
export type { KeyguardVerificationCode, UnkeyVerificationCode } from '../types.js';
export type {
  FleetAnswer,
  FleetMember,
  FleetMembership,
  FleetMetering,
  Invalidation,
  SharedUnconfirmed,
} from '../verifier/types.js';
export type { TelemetryTarget, VerifierInstrumentation } from '../telemetry/types.js';
