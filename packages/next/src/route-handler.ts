import type { RequestGuard, VerifiedKey } from '@keyguard/core';
import { withResponseHeaders } from './merge-headers.js';
import { createGate, denialResponse } from './options.js';
import { waitUntilAfterResponse } from './wait-until.js';
import type { ApiKeyFor, CreateKeyguard, NextKeyguardOptions, OptionsOrFactory } from './options.js';

/** Dynamic route segments as Next.js passes them (`[id]` → string, `[...slug]` → string[]). */
export type RouteParams = Record<string, string | string[] | undefined>;

/** The second argument Next.js (15, 16) gives a route handler: `params` is a Promise. */
export interface RouteContext<P = RouteParams> {
  /** The route's dynamic segments. */
  params: Promise<P>;
}

/** What a wrapped handler receives besides the request: the verified key and the route's params. */
export interface ApiKeyContext<P = RouteParams, K extends VerifiedKey | undefined = VerifiedKey> {
  /** The verified key; `undefined` only on `optional` routes called without a key (or when failing open). */
  apiKey: K;
  /** The route's dynamic segments, a Promise as in Next.js 15 and 16. */
  params: Promise<P>;
}

/** The handler `withApiKey` wraps: a route handler that also receives the verified key. */
export type ApiKeyRouteHandler<
  Req extends Request = Request,
  P = RouteParams,
  K extends VerifiedKey | undefined = VerifiedKey,
> = (request: Req, context: ApiKeyContext<P, K>) => Response | Promise<Response>;

/** The route handler `withApiKey` returns, to export as `GET`, `POST`, … */
export interface ProtectedRouteHandler<Req extends Request = Request, P = RouteParams> {
  (request: Req, context: RouteContext<P>): Promise<Response>;
  /** The RequestGuard behind this handler (created on first use when the options are a function). */
  keyguard(): RequestGuard;
}

/** The type of `withApiKey`: the key type the handler sees follows from the options (see `ApiKeyFor`). */
export type WithApiKey = <
  Req extends Request = Request,
  P = RouteParams,
  const O extends NextKeyguardOptions = NextKeyguardOptions,
>(
  handler: ApiKeyRouteHandler<Req, P, ApiKeyFor<O>>,
  options: OptionsOrFactory<O>,
) => ProtectedRouteHandler<Req, P>;

const NO_PARAMS: RouteContext<never> = Object.freeze({ params: Promise.resolve({} as never) });

/** `withApiKey` bound to one of core's builds. */
export function createWithApiKey(createKeyguard: CreateKeyguard): WithApiKey {
  return <Req extends Request, P, O extends NextKeyguardOptions>(
    handler: ApiKeyRouteHandler<Req, P, ApiKeyFor<O>>,
    options: OptionsOrFactory<O>,
  ) => {
    const gate = createGate(createKeyguard, options);
    const route = async (request: Req, context: RouteContext<P> = NO_PARAMS as RouteContext<P>): Promise<Response> => {
      const outcome = await gate({ headers: request.headers, url: request.url, waitUntil: waitUntilAfterResponse });
      if (!outcome.allowed) return denialResponse(outcome.denial);
      const response = await handler(request, { apiKey: outcome.apiKey as ApiKeyFor<O>, params: context.params });
      return withResponseHeaders(response, outcome.headers);
    };
    return Object.assign(route, { keyguard: gate.keyguard });
  };
}
