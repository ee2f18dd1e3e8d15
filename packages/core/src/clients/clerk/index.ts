// Runtime-neutral part of the Clerk client; node.ts and fetch.ts bind `ClerkClient` to a runtime.
export { ClerkClientBase, DEFAULT_CLERK_CLIENT_TIMEOUT_MS } from './client-base.js';
export { ClerkApiError } from './errors.js';
export type { ClerkApiErrorCode, ClerkApiErrorDetails, ClerkErrorItem } from './errors.js';
export type { ClerkApiKeys } from './api-keys.js';
export type * from './types.js';
