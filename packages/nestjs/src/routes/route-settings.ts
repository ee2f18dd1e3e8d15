import { ConfigurationError } from '@keyguard/core';

/** How a route treats keys: `optional` lets anonymous callers through, `skip` reads no key at all (a public route). */
export type RouteAccess = 'optional' | 'skip';

/** What the route decorators record on a controller class or a handler. */
export interface RouteSettings {
  access?: RouteAccess;
  /** Permission queries, all of which the key must satisfy. */
  permissions: readonly string[];
}

const ROUTE_SETTINGS = Symbol('keyguard:route');
const NONE: RouteSettings = Object.freeze({ permissions: Object.freeze([]) });

/** The settings recorded on `target` itself (a class or a handler), not inherited ones. */
export function settingsOf(target: object): RouteSettings {
  return (Reflect.getOwnMetadata(ROUTE_SETTINGS, target) as RouteSettings | undefined) ?? NONE;
}

function describe(settings: RouteSettings): string {
  return settings.access === 'skip'
    ? '@SkipApiKey()'
    : settings.access === 'optional'
      ? '@OptionalApiKey()'
      : '@RequirePermissions()';
}

/**
 * Adds to the settings of one class or handler. Contradictions on the same target (public and optional, public
 * and permission-guarded) throw when the class is declared, so they stop the application at start-up.
 */
export function recordSettings(target: object, addition: Partial<RouteSettings>): void {
  const current = settingsOf(target);
  const next: RouteSettings = {
    access: addition.access ?? current.access,
    permissions: [...current.permissions, ...(addition.permissions ?? [])],
  };
  const conflicting =
    addition.access !== undefined && current.access !== undefined && addition.access !== current.access;
  if (conflicting || (next.access === 'skip' && next.permissions.length > 0)) {
    const name = typeof target === 'function' ? target.name : 'a handler';
    throw new ConfigurationError(
      `${name} has both ${describe(current)} and ${describe({ ...addition, permissions: addition.permissions ?? [] })}, which contradict each other`,
    );
  }
  Reflect.defineMetadata(ROUTE_SETTINGS, next, target);
}
