// What the Node and edge builds share: index.ts and entries/index.edge.ts add their bound factories.
export {
  apiKeyFromHeaders,
  signApiKey,
  verifySignedApiKey,
  DEFAULT_FORWARD_HEADER,
  DEFAULT_FORWARD_MAX_AGE_MS,
  FORWARD_SECRET_ENV,
  MIN_FORWARD_SECRET_LENGTH,
} from './forwarding.js';
export type { ForwardOptions, ReadForwardedOptions } from './forwarding.js';
export type { ApiKeyFor, NextKeyguardOptions, OptionsOrFactory } from './options.js';
export type {
  ApiKeyContext,
  ApiKeyRouteHandler,
  ProtectedRouteHandler,
  RouteContext,
  RouteParams,
  WithApiKey,
} from './route-handler.js';
export type { KeyguardMiddlewareFactory, KeyguardMiddlewareOptions, KeyguardNextMiddleware } from './middleware.js';
export type { ApiKeyPagesHandler, NextApiRequestWithApiKey, ProtectedPagesHandler, WithApiKeyPages } from './pages.js';
export type { OptionalApiKeyContext, RateLimitContext, RateLimitedRouteHandler, WithRateLimit } from './rate-limit.js';
export type { RateLimitedPagesHandler, WithRateLimitPages } from './rate-limit-pages.js';
export type { RateLimitMiddlewareFactory, RateLimitNextMiddleware } from './rate-limit-middleware.js';
export type { RateLimitOptions, VerifiedKey } from '@keyguard/core';
