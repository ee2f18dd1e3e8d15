export { KeyguardModule } from './module/keyguard.module.js';
export { KEYGUARD_OPTIONS } from './module/keyguard-module-definition.js';
export type {
  KeyguardModuleAsyncOptions,
  KeyguardModuleExtras,
  KeyguardModuleOptions,
  KeyguardModuleRootOptions,
} from './module/keyguard-module-definition.js';
export { KEYGUARD } from './module/tokens.js';
export { ApiKeyGuard } from './guard/api-key.guard.js';
export type { KeyguardRequest } from './guard/keyguard-request.js';
export { AcceptTokenKinds, OptionalApiKey, RequirePermissions, SkipApiKey } from './routes/decorators.js';
export type { RouteDecorator } from './routes/decorators.js';
export { ApiKey, ApiKeyGuardMissingError } from './api-key.decorator.js';
export { ApiKeyDenied } from './denial/api-key-denied.js';
export { ApiKeyDeniedFilter } from './denial/api-key-denied.filter.js';
export { RateLimitModule } from './rate-limit/rate-limit.module.js';
export { RATE_LIMIT_OPTIONS } from './rate-limit/rate-limit-module-definition.js';
export type {
  RateLimitModuleAsyncOptions,
  RateLimitModuleExtras,
  RateLimitModuleOptions,
  RateLimitModuleRootOptions,
} from './rate-limit/rate-limit-module-definition.js';
export { RateLimitGuard } from './rate-limit/rate-limit.guard.js';
export { RateLimit, SkipRateLimit } from './rate-limit/decorators.js';
