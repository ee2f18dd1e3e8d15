import type { RequestGuard, RouteOverrides } from '@keyguard/core';
import { settingsOf } from './route-settings.js';

type PermissionCheck = ReturnType<RequestGuard['permissionCheck']>;

/** What the guard does on one route, worked out once from the decorators of its controller and handler. */
export interface RoutePolicy {
  /** Public: no key is read. */
  skip: boolean;
  optional: boolean;
  /** What `authenticate` is told of this route (`optional`, `accepts`); undefined: the module's options as they are. */
  overrides?: RouteOverrides;
  /** Every permission query of the controller, then of the handler, compiled. */
  checks: readonly PermissionCheck[];
}

/**
 * The handler's own setting wins over its controller's; a handler with permissions in a public controller is not
 * public; permission queries of both apply. Cached per controller and handler, so a request only looks it up.
 */
export class RoutePolicies {
  private readonly byController = new WeakMap<object, WeakMap<object, RoutePolicy>>();
  private readonly compiled = new Map<string, PermissionCheck>();

  constructor(private readonly keyguard: RequestGuard) {}

  of(controller: object, handler: object): RoutePolicy {
    let byHandler = this.byController.get(controller);
    if (!byHandler) {
      byHandler = new WeakMap();
      this.byController.set(controller, byHandler);
    }
    let policy = byHandler.get(handler);
    if (!policy) {
      policy = this.resolve(controller, handler);
      byHandler.set(handler, policy);
    }
    return policy;
  }

  private resolve(controller: object, handler: object): RoutePolicy {
    const own = settingsOf(handler);
    const inherited = settingsOf(controller);
    const ownReadsKey = own.permissions.length > 0 || own.accepts !== undefined;
    const controllerAccess = inherited.access === 'skip' && ownReadsKey ? undefined : inherited.access;
    const access = own.access ?? controllerAccess;
    if (access === 'skip') return { skip: true, optional: false, checks: [] };
    const queries = [...inherited.permissions, ...own.permissions];
    const optional = access === 'optional';
    const accepts = own.accepts ?? inherited.accepts;
    // One object per route, made here: core validates and indexes a route's accepts once, by this array.
    const overrides =
      optional || accepts ? { ...(optional ? { optional } : {}), ...(accepts ? { accepts } : {}) } : undefined;
    return { skip: false, optional, overrides, checks: queries.map((query) => this.check(query)) };
  }

  private check(query: string): PermissionCheck {
    let check = this.compiled.get(query);
    if (!check) {
      check = this.keyguard.permissionCheck(query);
      this.compiled.set(query, check);
    }
    return check;
  }
}
