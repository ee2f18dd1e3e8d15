import { ConfigurationError } from '../errors.js';
import { deny, rateLimitHeaders } from '../http/deny.js';
import type { Denial, DenyOptions } from '../http/types.js';
import { DEFAULT_KEY_SOURCES, MAX_KEY_LENGTH, readKey } from '../reading/read-key.js';
import type { ReadKeyOptions } from '../reading/types.js';
import type { Runtime } from '../runtime/types.js';
import type { Verification } from '../types.js';
import type { Verifier } from '../verifier/types.js';
import { createVerifierWith } from '../verifier/create-verifier.js';
import { VERIFIER_OPTION_NAMES } from '../verifier/options.js';
import { createPermissionCheck, customiseDenial } from './permission-check.js';
import { logDenial, logFailedOpen } from './request-log.js';
import type {
  AdapterOptions,
  AuthenticationOutcome,
  KeyguardOptions,
  RequestGuard,
  RequestParts,
  RouteOverrides,
} from './types.js';

const ANONYMOUS: AuthenticationOutcome = Object.freeze({ allowed: true });

/** Every adapter option; the compiler checks this list against `AdapterOptions` both ways. */
const ADAPTER_OPTIONS = {
  sources: true,
  optional: true,
  realm: true,
  rateLimitHeaders: true,
  onDenied: true,
  logger: true,
  accepts: true,
} as const satisfies Record<keyof AdapterOptions, true>;

/**
 * Verifier options that make no sense beside a ready verifier: they would be silently ignored. Derived from the
 * verifier's own list, so a new verifier option is refused here too. `logger` is not among them: it is also an adapter
 * option (beside a ready verifier, where the adapter's request lines go).
 */
const REFUSED_BESIDE_VERIFIER = VERIFIER_OPTION_NAMES.filter((name) => !Object.hasOwn(ADAPTER_OPTIONS, name));

function verifierOf(runtime: Runtime, options: KeyguardOptions): Verifier {
  if (options?.verifier) {
    const ignored = REFUSED_BESIDE_VERIFIER.filter(
      (name) => (options as unknown as Record<string, unknown>)[name] !== undefined,
    );
    if (ignored.length > 0) {
      throw new ConfigurationError(
        `give either \`verifier\` or the options to create one, not both: ${ignored.join(', ')} would be ignored (set them where the verifier is created)`,
      );
    }
    return options.verifier;
  }
  if (!options?.provider)
    throw new ConfigurationError(
      'keyguard needs a `verifier`, or a `provider` such as unkey({ rootKey }) to create one',
    );
  return createVerifierWith(runtime, options);
}

/** The route's `accepts` as a set; undefined when the route takes every kind. */
function acceptedKinds(accepts: readonly string[] | undefined): ReadonlySet<string> | undefined {
  if (accepts === undefined) return undefined;
  if (!Array.isArray(accepts) || accepts.length === 0 || accepts.some((kind) => typeof kind !== 'string' || !kind))
    throw new ConfigurationError("`accepts` takes a non-empty list of credential kinds, such as ['m2m_token']");
  return new Set(accepts);
}

/**
 * The kinds a request's route takes: the route's own `accepts` when it gives one (validated and made a set the first
 * time that array is seen, so per request it is one lookup), else the guard's.
 */
function kindsOfRoutes(guardKinds: ReadonlySet<string> | undefined) {
  const byRoute = new WeakMap<readonly string[], ReadonlySet<string>>();
  return (overrides: RouteOverrides | undefined): ReadonlySet<string> | undefined => {
    const own = overrides?.accepts;
    if (own === undefined) return guardKinds;
    let kinds = byRoute.get(own);
    if (!kinds) {
      kinds = acceptedKinds(own)!;
      byRoute.set(own, kinds);
    }
    return kinds;
  };
}

/**
 * Everything an adapter needs, free of any framework: read the key, verify it, and turn the result into
 * "let through with this key" or "write this denial". Adapters only translate requests and responses.
 */
export function createKeyguardWith(runtime: Runtime, options: KeyguardOptions): RequestGuard {
  const ownsVerifier = !options?.verifier;
  const verifier = verifierOf(runtime, options);
  const denyOptions: DenyOptions = Object.freeze({
    realm: options.realm ?? 'api',
    rateLimitHeaders: options.rateLimitHeaders ?? 'draft-6',
  });
  const sources = options.sources ?? DEFAULT_KEY_SOURCES;
  const readsUrl = sources.some((source) => typeof source === 'object' && 'query' in source);
  // A provider with longer tokens (Clerk's M2M JWTs) says so; reading must not refuse what it would verify.
  const maxLength = verifier.maxKeyLength ?? MAX_KEY_LENGTH;
  const fixedReadOptions: ReadKeyOptions = { sources, maxLength };
  const optional = options.optional ?? false;
  const rateLimitStyle = denyOptions.rateLimitHeaders ?? 'draft-6';
  const adapterLogger = options.logger;
  const acceptsOf = kindsOfRoutes(acceptedKinds(options.accepts));

  function denied(request: RequestParts, reason: Denial): AuthenticationOutcome {
    const answer = customiseDenial(deny(reason, denyOptions), options.onDenied);
    logDenial(request.logger ?? adapterLogger, request, reason, answer.status);
    return { allowed: false, denial: answer };
  }

  function outcomeOf(
    verification: Verification,
    request: RequestParts,
    kinds: ReadonlySet<string> | undefined,
  ): AuthenticationOutcome {
    if (verification.valid && verification.key) {
      if (kinds && !kinds.has(verification.key.kind ?? '')) return wrongKind(request, verification, kinds);
      const headers =
        verification.ratelimits && rateLimitStyle !== 'none'
          ? rateLimitHeaders(verification.ratelimits, rateLimitStyle)
          : undefined;
      return { allowed: true, apiKey: verification.key, verification, headers };
    }
    if (verification.failedOpen) {
      logFailedOpen(request.logger ?? adapterLogger, request, verification);
      return { allowed: true, verification };
    }
    return denied(request, { reason: 'verification', verification });
  }

  /** A key the verifier vouched for, of a kind this route does not take: 401 `invalid_token`, naming what it takes. */
  function wrongKind(
    request: RequestParts,
    verification: Verification,
    accepted: ReadonlySet<string>,
  ): AuthenticationOutcome {
    const reason: Denial = {
      reason: 'verification',
      verification: { valid: false, code: 'INVALID_KEY_FORMAT', source: verification.source },
    };
    const written = deny(reason, denyOptions);
    const kinds = [...accepted];
    written.body.detail = `This route accepts ${kinds.join(' or ')} credentials; this one is ${verification.key?.kind ?? 'of no named kind'}.`;
    written.body.accepts = kinds;
    const answer = customiseDenial(written, options.onDenied);
    logDenial(request.logger ?? adapterLogger, request, reason, answer.status);
    return { allowed: false, denial: answer };
  }

  return {
    verifier,

    authenticate(request, overrides) {
      const url = readsUrl ? (typeof request.url === 'function' ? request.url() : request.url) : undefined;
      const rawHeaders = request.rawHeaders;
      const read = readKey(
        request.headers,
        readsUrl || rawHeaders ? { sources, url, rawHeaders, maxLength } : fixedReadOptions,
      );
      if ('failure' in read) {
        if ((read.failure === 'missing' || read.failure === 'other_scheme') && (overrides?.optional ?? optional))
          return ANONYMOUS;
        return denied(request, { reason: read.failure });
      }
      // A cache hit is answered synchronously: no promise, no microtask on the hot path.
      // The request's own fields are the verify options (`waitUntil`): nothing is allocated for them.
      const kinds = acceptsOf(overrides);
      const cached = verifier.verifyCached(read.key, request);
      return cached
        ? outcomeOf(cached, request, kinds)
        : verifier.verify(read.key, request).then((verification) => outcomeOf(verification, request, kinds));
    },

    permissionCheck(query) {
      return createPermissionCheck(query, { ...denyOptions, onDenied: options.onDenied });
    },

    async close() {
      if (ownsVerifier) await verifier.close();
    },
  };
}
