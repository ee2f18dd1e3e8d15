import { ConfigurationError } from '@keyguard/core';
import type { Provider, ProviderAnswer } from '@keyguard/core';
import { runtime as defaultRuntime } from '@keyguard/core/runtime';
import { DEFAULT_PROVIDER_TIMEOUT_MS, loggableUrl, PROVIDER_RETRY_CONFIG } from '@keyguard/core/service';
import type { Runtime } from '@keyguard/core/service';
import { createClerkConnection, DEFAULT_CLERK_BASE_URL } from './connection.js';
import { backendJwks, publicJwks } from './jwt/fetch-jwks.js';
import { JwksKeys } from './jwt/jwks-keys.js';
import { createM2MJwtVerifier } from './jwt/verify-m2m-jwt.js';
import { API_KEY_ENDPOINT, M2M_TOKEN_ENDPOINT, OAUTH_TOKEN_ENDPOINT } from './machine/endpoints.js';
import { verifyOpaque } from './machine/opaque-verify.js';
import { CLERK_TOKEN_KINDS, classifyToken, type ClassifiedToken, type ClerkTokenKind } from './machine/token-kind.js';
import type { ClerkJwtOptions, ClerkProviderOptions } from './provider-options.js';

export type { ClerkJwtOptions, ClerkProviderOptions } from './provider-options.js';

/** Room for an M2M JWT with custom claims (RS256 alone is 342 characters of signature). */
const MAX_M2M_JWT_LENGTH = 4_096;

/** A token of a kind this provider does not verify, or of no kind of Clerk's: answered without a call. */
const WRONG_KIND: ProviderAnswer = Object.freeze({ valid: false, code: 'INVALID_KEY_FORMAT', metered: false });

function acceptedKinds(options: ClerkProviderOptions): ReadonlySet<ClerkTokenKind> {
  const accepts = options.accepts ?? ['api_key'];
  if (!Array.isArray(accepts) || accepts.length === 0 || accepts.some((kind) => !CLERK_TOKEN_KINDS.includes(kind)))
    throw new ConfigurationError(`clerk({ accepts }) takes a non-empty list of ${CLERK_TOKEN_KINDS.join(', ')}`);
  const kinds = new Set(accepts);
  if (kinds.size > 1 && typeof options.keyPrefix === 'string')
    throw new ConfigurationError('clerk({ keyPrefix }) applies to api_key alone: each kind has its own prefix');
  return kinds;
}

function jwtVerifierOf(options: ClerkProviderOptions, send: Parameters<typeof backendJwks>[0]) {
  const jwt: ClerkJwtOptions = options.jwt === false ? {} : (options.jwt ?? {});
  const timeoutMs = options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS;
  const keys = new JwksKeys(jwt.jwksUrl ? publicJwks(jwt.jwksUrl, timeoutMs) : backendJwks(send), {
    unknownKidMs: jwt.refetchIntervalMs ?? 30_000,
    withoutKeysMs: Math.min(jwt.refetchIntervalMs ?? 30_000, 1_000),
  });
  return createM2MJwtVerifier(keys, {
    issuer: jwt.issuer,
    audience: jwt.audience,
    clockSkewMs: jwt.clockSkewMs ?? 5_000,
  });
}

/**
 * Verifies Clerk's machine tokens: API keys (`POST /api_keys/verify`), opaque M2M tokens (`POST
 * /m2m_tokens/verify`), M2M JWTs (locally, against the instance JWKS) and OAuth access tokens (`POST
 * /oauth_applications/access_tokens/verify`), each answer's key carrying its `kind`. Clerk bills per call, so the
 * verifier's cache saves money; a verification is repeated only when it never left.
 *
 * @param options - The instance secret key, the kinds to accept (default `api_key` alone), and where Clerk is.
 * @param runtime - How to reach the network; by default this build's own (Node, Bun or fetch).
 * @returns A provider for `createVerifier({ provider })` or an adapter's `keyguard({ provider })`.
 * @throws ConfigurationError when `secretKey` is missing, `accepts` names an unknown kind, or a transport option is wrong.
 *
 * @example
 * ```ts
 * import { clerk } from '@keyguard/clerk';
 * import { createVerifier } from '@keyguard/core';
 *
 * const verifier = createVerifier({
 *   provider: clerk({ secretKey: process.env.CLERK_SECRET_KEY!, accepts: ['api_key', 'm2m_token'] }),
 * });
 * const verification = await verifier.verify('mt_…');
 * if (verification.valid) console.log(verification.key.kind, verification.key.identity?.externalId);
 * ```
 */
export function clerk(options: ClerkProviderOptions, runtime: Runtime = defaultRuntime): Provider {
  if (typeof options?.secretKey !== 'string' || options.secretKey.length === 0) {
    throw new ConfigurationError('clerk({ secretKey }) needs the instance secret key');
  }
  const kinds = acceptedKinds(options);
  const onlyApiKeys = kinds.size === 1 && kinds.has('api_key');
  const connect = (secretKey: string) =>
    createClerkConnection(runtime, {
      ...options,
      secretKey,
      timeoutMs: options.timeoutMs ?? DEFAULT_PROVIDER_TIMEOUT_MS,
      retry: PROVIDER_RETRY_CONFIG,
    });
  const connection = connect(options.secretKey);
  const machineConnection = options.machineSecretKey ? connect(options.machineSecretKey) : connection;
  const verifyJwt =
    kinds.has('m2m_token') && options.jwt !== false ? jwtVerifierOf(options, connection.send) : undefined;
  // `keyPrefix: false` sends a token of no known form to /api_keys/verify, as before several kinds existed.
  const fallback: ClassifiedToken | undefined =
    options.keyPrefix === false && kinds.has('api_key') ? { kind: 'api_key', format: 'opaque' } : undefined;

  return {
    name: 'clerk',
    endpoint: loggableUrl(options.baseUrl ?? DEFAULT_CLERK_BASE_URL),
    keyPrefix: onlyApiKeys && options.keyPrefix !== false ? (options.keyPrefix ?? 'ak_') : undefined,
    // An M2M JWT is about 800 characters with a few claims: past core's 512, which fits the opaque tokens.
    maxKeyLength: verifyJwt ? MAX_M2M_JWT_LENGTH : undefined,
    verify(key: string): Promise<ProviderAnswer> {
      const token = classifyToken(key) ?? fallback;
      if (!token || !kinds.has(token.kind)) return Promise.resolve(WRONG_KIND);
      if (token.kind === 'api_key') return verifyOpaque(connection.send, API_KEY_ENDPOINT, key);
      if (token.kind === 'oauth_token') return verifyOpaque(connection.send, OAUTH_TOKEN_ENDPOINT, key);
      if (token.format === 'opaque') return verifyOpaque(machineConnection.send, M2M_TOKEN_ENDPOINT, key);
      return verifyJwt ? verifyJwt(key) : Promise.resolve(WRONG_KIND);
    },
    async close() {
      await connection.close();
      if (machineConnection !== connection) await machineConnection.close();
    },
  };
}
