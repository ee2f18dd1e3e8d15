import { UseGuards, applyDecorators } from '@nestjs/common';
import { ConfigurationError, createPermissionCheck } from '@keyguard/core';
import type { KeyKind } from '@keyguard/core';
import { ApiKeyGuard } from '../guard/api-key.guard.js';
import { recordSettings } from './route-settings.js';
import type { RouteSettings } from './route-settings.js';

/** A decorator for a controller class (every route in it) or a single route handler. */
export type RouteDecorator = ClassDecorator & MethodDecorator;

function recording(settings: Partial<RouteSettings>): RouteDecorator {
  return ((target: object, _key?: string | symbol, descriptor?: PropertyDescriptor) => {
    recordSettings(descriptor ? (descriptor.value as object) : target, settings);
  }) as RouteDecorator;
}

/**
 * Requires a verified key that satisfies a permission query such as `'docs.read AND (docs.write OR admin)'`
 * (403 `insufficient_scope` otherwise). The query is parsed now: a bad one throws when the class is declared.
 * On a controller and on one of its routes, both queries must hold. Applies `ApiKeyGuard` itself, so the route
 * is protected with or without a global guard.
 */
export function RequirePermissions(query: string): RouteDecorator {
  createPermissionCheck(query);
  return applyDecorators(recording({ permissions: [query] }), UseGuards(ApiKeyGuard)) as RouteDecorator;
}

/**
 * Lets requests without a key through (`@ApiKey()` is then undefined); a bad or unknown key is still denied.
 * Applies `ApiKeyGuard` itself. On a route, overrides its controller's setting.
 */
export function OptionalApiKey(): RouteDecorator {
  return applyDecorators(recording({ access: 'optional' }), UseGuards(ApiKeyGuard)) as RouteDecorator;
}

/**
 * Takes only these kinds of credential (`VerifiedKey.kind`: `'api_key'`, `'m2m_token'`, `'oauth_token'`) on a
 * controller or a route, such as a route for machines alone with `@AcceptTokenKinds('m2m_token')` beside
 * `clerk({ accepts: ['api_key', 'm2m_token'] })`. A verified key of another kind is answered 401 `invalid_token`
 * naming these kinds. On a route, replaces its controller's kinds. Applies `ApiKeyGuard` itself.
 * @throws ConfigurationError when a kind is empty, at declaration.
 */
export function AcceptTokenKinds(kind: KeyKind, ...more: KeyKind[]): RouteDecorator {
  const accepts = Object.freeze([kind, ...more]);
  if (accepts.some((each) => typeof each !== 'string' || each.length === 0))
    throw new ConfigurationError("@AcceptTokenKinds() takes credential kinds such as 'm2m_token'");
  return applyDecorators(recording({ accepts }), UseGuards(ApiKeyGuard)) as RouteDecorator;
}

/**
 * Marks a controller or a route public: `ApiKeyGuard` (typically global, as `APP_GUARD`) reads no key there.
 * A route of a public controller that has its own `@RequirePermissions`, `@AcceptTokenKinds` or `@OptionalApiKey`
 * is not public.
 */
export function SkipApiKey(): RouteDecorator {
  return recording({ access: 'skip' });
}
