// Runtime-neutral part of the Unkey client; node.ts and fetch.ts bind `UnkeyClient` to a runtime.
export { UnkeyClientBase, DEFAULT_UNKEY_CLIENT_TIMEOUT_MS } from './client-base.js';
export {
  UnkeyApiError,
  BadRequestError,
  UnauthorizedError,
  ForbiddenError,
  NotFoundError,
  ConflictError,
  PreconditionFailedError,
  TooManyRequestsError,
  InternalServerError,
} from './errors.js';
export type { UnkeyApiErrorCode, UnkeyApiErrorDetails, UnkeyErrorItem } from './errors.js';
export { DEFAULT_RETRY_CONFIG } from '../retry.js';
export type { BackoffStrategy, RetryConfig } from '../retry.js';
export type { UnkeyApis } from './apis.js';
export type { UnkeyKeys } from './keys.js';
export type { UnkeyPermissions } from './permissions.js';
export type * from './types.js';
