export { createKeyServer } from './key-server/create-key-server.js';
export type { KeyServer } from './key-server/create-key-server.js';
export type {
  ClerkMachine,
  ClerkMachineOptions,
  ClerkOAuthAccessToken,
  ClerkOAuthAccessTokenOptions,
} from './key-server/machine-auth.js';
export type { Bootstrap, KeyServerOptions } from './key-server/options.js';
export type { RequestQuota } from './store/types.js';
export type { KeyServerLogger } from './key-server/logger.js';
export { consoleLogger, silentLogger } from './key-server/console-logger.js';
export { pinoLogger, LOG_FORMATS } from './key-server/pino-logger.js';
export { METRICS_ACCESS, defaultMetricsAccess, isLoopbackHost } from './key-server/metrics-access.js';
export type { MetricsAccess } from './key-server/options.js';
export type { DashboardOptions } from './dashboard/options.js';
export { DEFAULT_DASHBOARD_PATH } from './dashboard/options.js';
export type { LogFormat, PinoLoggerOptions } from './key-server/pino-logger.js';
export { ALL_ROOT_PERMISSIONS } from './domain/permissions/root-key-permissions.js';
export { ERROR_TYPES } from './api-error.js';
export type { ApiErrorCode } from './api-error.js';
export {
  KeyServerError,
  KeyServerOptionError,
  KeyServerStoppedError,
  SchemaTooNewError,
  UnknownApiError,
} from './key-server/errors.js';
export type { RequestHandler } from './http/request-handler.js';
export type { KeyResponseData } from './domain/keys/key-response.js';
export type { ApiKeyObject as ClerkApiKeyObject } from './clerk/api-key-object.js';
export type { VerificationCode, VerifyKeyData } from './domain/keys/verification.js';
export { MIGRATIONS } from './store/migrations/index.js';
export type { Migration } from './store/migrations/index.js';
