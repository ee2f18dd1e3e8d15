import { ConfigurationError } from '@keyguard/core';
import type { KeyKind } from '@keyguard/core';

/** How a route treats keys: `optional` lets anonymous callers through, `skip` reads no key at all (a public route). */
export type RouteAccess = 'optional' | 'skip';

/** What the route decorators record on a controller class or a handler. */
export interface RouteSettings {
  access?: RouteAccess;
  /** Permission queries, all of which the key must satisfy. */
  permissions: readonly string[];
  /** The kinds of credential the route takes (`VerifiedKey.kind`); unset: the module's `accepts`. */
  accepts?: readonly KeyKind[];
}

const ROUTE_SETTINGS = Symbol('keyguard:route');
const NONE: RouteSettings = Object.freeze({ permissions: Object.freeze([]) });

/** The settings recorded on `target` itself (a class or a handler), not inherited ones. */
export function settingsOf(target: object): RouteSettings {
  return (Reflect.getOwnMetadata(ROUTE_SETTINGS, target) as RouteSettings | undefined) ?? NONE;
}

function describe(settings: Partial<RouteSettings>): string {
  if (settings.access === 'skip') return '@SkipApiKey()';
  if (settings.access === 'optional') return '@OptionalApiKey()';
  return settings.accepts ? '@AcceptTokenKinds()' : '@RequirePermissions()';
}

/** Whether a key is read on a target with these settings (a public target with either reads one after all). */
function readsKey(settings: RouteSettings): boolean {
  return settings.permissions.length > 0 || settings.accepts !== undefined;
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
    accepts: addition.accepts ?? current.accepts,
  };
  // Two lists of kinds on one target: which one was meant is anyone's guess.
  const conflicting =
    (addition.access !== undefined && current.access !== undefined && addition.access !== current.access) ||
    (addition.accepts !== undefined && current.accepts !== undefined);
  if (conflicting || (next.access === 'skip' && readsKey(next))) {
    const name = typeof target === 'function' ? target.name : 'a handler';
    throw new ConfigurationError(
      `${name} has both ${describe(current)} and ${describe(addition)}, which contradict each other`,
    );
  }
  Reflect.defineMetadata(ROUTE_SETTINGS, next, target);
}
