import type { VerifiedKey } from '@keyguard/core';

/**
 * The context variables keyguard sets. `apiKey` is `VerifiedKey` behind a middleware that requires a key, and
 * `VerifiedKey | undefined` behind an `optional` one or one that may fail open (see `ApiKeyFor`).
 */
export interface KeyguardVariables<Key extends VerifiedKey | undefined = VerifiedKey | undefined> {
  /** The verified API key (`c.get('apiKey')`, `c.var.apiKey`). */
  apiKey: Key;
}

/** Hono `Env` of keyguard's middlewares: `c.get('apiKey')` and `c.var.apiKey` are typed through it. */
export interface KeyguardEnv<Key extends VerifiedKey | undefined = VerifiedKey | undefined> {
  /** The context variables keyguard sets. */
  Variables: KeyguardVariables<Key>;
}
