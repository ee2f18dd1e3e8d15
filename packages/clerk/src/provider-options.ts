import type { TransportOptions } from '@keyguard/core/service';
import type { ClerkTokenKind } from './machine/token-kind.js';

/** How M2M JWTs are verified locally (no call): where the instance's keys are, and what else to check. */
export interface ClerkJwtOptions {
  /**
   * A public JWKS URL to fetch keys from without a credential, e.g. the Frontend API's
   * `https://<your-frontend-api>/.well-known/jwks.json`. Default: the Backend API's `GET /jwks` under `baseUrl`,
   * with the instance secret key (as `@clerk/backend` does).
   * @default `${baseUrl}/jwks`
   */
  jwksUrl?: string;
  /**
   * `iss` must be one of these. Clerk's SDK does not check it on M2M JWTs; set it to pin your instance.
   * @default undefined (not checked)
   */
  issuer?: string | string[];
  /**
   * `aud` must hold one of these. An M2M JWT's `aud` lists the machines it is granted to, so a machine's own id
   * (`mch_…`) admits only tokens meant for it.
   * @default undefined (not checked)
   */
  audience?: string | string[];
  /**
   * Allowance for clocks that disagree, on `exp`, `nbf` and `iat` (`@clerk/backend`'s default, 5 s).
   * @default 5_000
   */
  clockSkewMs?: number;
  /**
   * A token with a `kid` the cached JWKS lacks (a rotated key) refetches it, at most once per this many ms.
   * @default 30_000
   */
  refetchIntervalMs?: number;
}

/** What `clerk()` takes: the instance secret key, which token kinds to verify, where Clerk is, and how to connect. */
export interface ClerkProviderOptions extends TransportOptions {
  /** Instance secret key (`sk_live_…`, `sk_test_…`). Never logged. */
  secretKey: string;
  /**
   * Which of Clerk's machine tokens this provider verifies (Clerk's `acceptsToken`). Each kind is known by its
   * prefix (`ak_`, `mt_`, `oat_`; an M2M JWT by its `mch_…` subject) before any call: a token of another kind, or
   * of none, is rejected without one. Routes can narrow this further with the adapter's `accepts`.
   * @default ['api_key']
   */
  accepts?: readonly ClerkTokenKind[];
  /**
   * A machine secret key (`ak_…`) to verify opaque M2M tokens with: then only tokens granted to that machine
   * verify. Default: the instance secret key, which verifies every M2M token of the instance. Never logged.
   * @default undefined (the instance secret key)
   */
  machineSecretKey?: string;
  /**
   * Local verification of M2M JWTs; `false` rejects them (only opaque `mt_` tokens are accepted then).
   * @default {} (the Backend API's JWKS, 5 s skew)
   */
  jwt?: ClerkJwtOptions | false;
  /**
   * Default `https://api.clerk.com/v1`; point it at `keyguard serve` (`http://127.0.0.1:8787/v1`) to run offline.
   * @default 'https://api.clerk.com/v1'
   */
  baseUrl?: string;
  /**
   * Deadline for one verification (default 2 s).
   * @default 2_000
   */
  timeoutMs?: number;
  /**
   * With only `api_key` accepted: tokens without this prefix are rejected before any network call (default `ak_`,
   * Clerk's; `false` sends any token to `/api_keys/verify`). With several kinds, each kind's own prefix applies.
   * @default 'ak_'
   */
  keyPrefix?: string | false;
}
