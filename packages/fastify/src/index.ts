import { ConfigurationError, createKeyguard, createPermissionCheck } from '@keyguard/core';
import type {
  AuthenticationOutcome,
  KeyguardOptions,
  KeyKind,
  Logger,
  PermissionCheck,
  PermissionCheckOptions,
  RequestGuard,
  VerifiedKey,
  Verifier,
} from '@keyguard/core';
import type {
  FastifyContextConfig,
  FastifyPluginAsync,
  FastifyReply,
  FastifyRequest,
  HookHandlerDoneFunction,
} from 'fastify';
import fp from 'fastify-plugin';
import { mergedHeaders, writeDenial } from './write-denial.js';

/** Per-route settings, given as `config: { keyguard: { … } }` in the route options. */
export interface KeyguardRouteOptions {
  /**
   * Let requests without a key through with `request.apiKey` unset (a bad or unknown key is still denied).
   * @default the registration's `optional`
   */
  optional?: boolean;
  /**
   * A permission query such as `'docs.read AND (docs.write OR admin)'`, checked before the body is parsed.
   * @default undefined (no permission check)
   */
  permissions?: string;
  /**
   * The kinds of credential this route takes (`VerifiedKey.kind`), such as `['m2m_token']` for a route for machines
   * only; another kind is answered 401 `invalid_token` naming these. Replaces the registration's `accepts`.
   * @default the registration's `accepts` (every kind the provider verifies when it has none)
   */
  accepts?: readonly KeyKind[];
}

/** A hook that refuses the request unless `request.apiKey` satisfies a permission query; use it as `onRequest` or `preHandler`. */
export type PermissionGuard = (request: FastifyRequest, reply: FastifyReply, done: HookHandlerDoneFunction) => void;

declare module 'fastify' {
  interface FastifyRequest {
    /** The verified API key; unset on `optional` routes called without a key. */
    apiKey?: VerifiedKey;
  }
  interface FastifyInstance {
    /** The RequestGuard behind the nearest keyguard registration (its verifier, stats, close). */
    keyguard: RequestGuard;
    /** A guard using the nearest keyguard registration's realm and `onDenied`. */
    requirePermissions(query: string): PermissionGuard;
  }
  interface FastifyContextConfig {
    keyguard?: KeyguardRouteOptions;
  }
}

/** What the plugin takes: `{ verifier, …adapter options }`, or the verifier's options to create one. */
export type KeyguardFastifyOptions = KeyguardOptions;

function guard(check: PermissionCheck): PermissionGuard {
  return (request, reply, done) => {
    const denial = check(request.apiKey);
    if (denial) writeDenial(reply, denial);
    else done();
  };
}

// Which verifier already verified a request's key: a nested registration sharing that verifier does not verify the
// same key twice (a metered key would be charged twice). A request decoration, so the request keeps its shape.
const VERIFIED_BY = Symbol('keyguard.verifiedBy');
type MarkedRequest = FastifyRequest & { [VERIFIED_BY]?: Verifier };

// `request.routeOptions` builds a fresh object on every access (about a microsecond, the largest cost of a cached
// verification on Fastify). The route's config lives on Fastify's per-route context, under a symbol Fastify does
// not export; found once by its description, with the public getter as the fallback if Fastify ever changes it.
let routeContextSymbol: symbol | null | undefined;
function routeSettings(request: FastifyRequest): KeyguardRouteOptions | undefined {
  if (routeContextSymbol === undefined) {
    routeContextSymbol =
      Object.getOwnPropertySymbols(request).find((symbol) => symbol.description === 'fastify.context') ?? null;
  }
  const context = routeContextSymbol
    ? (request as unknown as Record<symbol, { config?: FastifyContextConfig } | undefined>)[routeContextSymbol]
    : undefined;
  return context?.config ? context.config.keyguard : request.routeOptions.config?.keyguard;
}

const keyguardPlugin: FastifyPluginAsync<KeyguardFastifyOptions> = async (fastify, options) => {
  if ('prefix' in options) {
    throw new ConfigurationError(
      '@keyguard/fastify protects the scope it is registered in, so `prefix` has no effect: register it inside your prefixed plugin',
    );
  }
  // The verifier's warnings go to Fastify's logger unless another is given; request lines go to `request.log`.
  const core = createKeyguard(
    options.verifier || options.logger ? options : { ...options, logger: fastify.log as Logger },
  );
  const routeChecks = new WeakMap<KeyguardRouteOptions, PermissionCheck>();
  const routeCheck = (settings: KeyguardRouteOptions): PermissionCheck => {
    let check = routeChecks.get(settings);
    if (!check) {
      check = core.permissionCheck(settings.permissions!);
      routeChecks.set(settings, check);
    }
    return check;
  };

  // A nested registration (another scope) may decorate again; the request decorator is declared once per tree.
  if (!fastify.hasRequestDecorator('apiKey')) fastify.decorateRequest('apiKey', undefined);
  if (!fastify.hasRequestDecorator(VERIFIED_BY as unknown as string))
    fastify.decorateRequest(VERIFIED_BY as unknown as string, undefined);
  fastify.decorate('keyguard', core);
  fastify.decorate('requirePermissions', (query: string) => guard(core.permissionCheck(query)));

  // Compile each route's permission query as the route is declared: a bad query, or an empty `accepts`, throws at
  // start-up. (Routes declared before this plugin loaded are not seen here; their queries compile on their first
  // request.)
  fastify.addHook('onRoute', (route) => {
    const settings = route.config?.keyguard;
    if (settings?.permissions !== undefined) routeCheck(settings);
    // Core checks the kinds on the route's first keyed request; an empty list would only show there, as a 500.
    if (settings?.accepts !== undefined && (!Array.isArray(settings.accepts) || settings.accepts.length === 0))
      throw new ConfigurationError(`route ${route.url}: \`accepts\` takes a non-empty list of credential kinds`);
  });

  // onRequest: before the body is parsed, so an unauthenticated request costs no parse. Callback style, so that a
  // cache hit (answered synchronously by core) finishes without a promise.
  fastify.addHook('onRequest', (request: MarkedRequest, reply, done) => {
    const settings = routeSettings(request);
    const checkRoute = () => {
      const denial = settings?.permissions === undefined ? undefined : routeCheck(settings)(request.apiKey);
      if (denial) writeDenial(reply, denial);
      else done();
    };
    if (request.apiKey !== undefined && request[VERIFIED_BY] === core.verifier) return checkRoute();
    const finish = (outcome: AuthenticationOutcome) => {
      if (!outcome.allowed) return void writeDenial(reply, outcome.denial);
      if (outcome.apiKey) {
        request.apiKey = outcome.apiKey;
        request[VERIFIED_BY] = core.verifier;
      }
      if (outcome.headers) reply.headers(mergedHeaders(reply, outcome.headers));
      checkRoute();
    };
    // The route's settings are its overrides (optional, accepts) as they are: one object per route, none per request.
    const outcome = core.authenticate(
      { headers: request.headers, rawHeaders: request.raw.rawHeaders, url: request.url, logger: request.log as Logger },
      settings,
    );
    if (outcome instanceof Promise) outcome.then(finish, done);
    else finish(outcome);
  });

  fastify.addHook('onClose', async () => {
    await core.close();
  });
};

/**
 * Verifies the API key of every request in the scope it is registered in (an `onRequest` hook) and sets
 * `request.apiKey`. Register it inside a plugin to protect only that plugin's routes; route options
 * `config: { keyguard: { optional, permissions, accepts } }` adjust single routes. Decorates `fastify.requirePermissions`.
 *
 * @example
 * ```ts
 * import Fastify from 'fastify';
 * import { createVerifier } from '@keyguard/core';
 * import { keyguard } from '@keyguard/fastify';
 * import { unkey } from '@keyguard/unkey';
 *
 * const verifier = createVerifier({ provider: unkey({ rootKey: process.env.KEYGUARD_ROOT_KEY! }) });
 * const app = Fastify();
 * await app.register(async (api) => {
 *   await api.register(keyguard, { verifier });
 *   api.get('/me', async (request) => ({ id: request.apiKey!.id }));
 *   api.post('/documents', { config: { keyguard: { permissions: 'documents.write' } } }, async (request, reply) =>
 *     reply.code(201).send(request.body),
 *   );
 * });
 * ```
 */
export const keyguard = fp(keyguardPlugin, { fastify: '5.x', name: '@keyguard/fastify' });
export default keyguard;

/**
 * Guards a route by a permission query evaluated against `request.apiKey.permissions`; use it as the route's
 * `onRequest` (refused before the body is parsed) or `preHandler`. The query is parsed now: a bad one throws at start-up.
 */
export function requirePermissions(query: string, options?: PermissionCheckOptions): PermissionGuard {
  return guard(createPermissionCheck(query, options));
}

export { rateLimit, rateLimitPlugin } from './rate-limit.js';
export type { RateLimitFastifyOptions, RateLimitHook, RateLimitPluginOptions } from './rate-limit.js';
