import { ProviderError } from '@keyguard/core';
import { importJWK, type JWK } from 'jose';

type VerificationKey = Awaited<ReturnType<typeof importJWK>>;

/** How often the JWKS may be fetched again: for an unknown `kid`, and while no key was ever fetched. */
export interface JwksRefetchTimes {
  /** At most one refetch per this many ms for an unknown `kid`, so that made-up `kid`s cannot flood Clerk. */
  unknownKidMs: number;
  /** While no key is known at all (the first fetch failed), at most one attempt per this many ms. */
  withoutKeysMs: number;
}

/**
 * The instance's signing keys, fetched once and kept. A token with an unknown `kid` (a rotated key) causes one
 * refetch per `unknownKidMs` at most. When a fetch fails the keys already known keep verifying; with none known, a
 * verification is a `ProviderError` (503), since no token can be judged.
 */
export class JwksKeys {
  readonly #keys = new Map<string, VerificationKey>();
  #lastAttempt = Number.NEGATIVE_INFINITY;
  #lastUnknownKid = Number.NEGATIVE_INFINITY;
  #lastError: ProviderError | undefined;
  #inFlight: Promise<void> | undefined;
  /** How many fetches were started: for tests and the bench. */
  fetches = 0;

  constructor(
    private readonly fetchJwks: () => Promise<readonly JWK[]>,
    private readonly times: JwksRefetchTimes,
  ) {}

  /** The key for `kid`; undefined when the JWKS has no such key. Throws `ProviderError` when no key is known at all. */
  async keyFor(kid: string): Promise<VerificationKey | undefined> {
    const known = this.#keys.get(kid);
    if (known) return known;
    const now = Date.now();
    if (this.#inFlight) {
      await this.#inFlight;
    } else if (
      this.#keys.size === 0
        ? now - this.#lastAttempt >= this.times.withoutKeysMs
        : now - this.#lastUnknownKid >= this.times.unknownKidMs
    ) {
      // Only refetches for an unknown kid count against its interval: the first fetch does not delay a rotation.
      if (this.#keys.size > 0) this.#lastUnknownKid = now;
      await this.#refresh();
    }
    const key = this.#keys.get(kid);
    if (!key && this.#keys.size === 0) {
      throw (
        this.#lastError ??
        new ProviderError('PROVIDER_BAD_RESPONSE', 'clerk JWKS holds no RS256 signing key', { provider: 'clerk' })
      );
    }
    return key;
  }

  #refresh(): Promise<void> {
    this.#inFlight ??= this.#fetch().finally(() => {
      this.#inFlight = undefined;
    });
    return this.#inFlight;
  }

  async #fetch(): Promise<void> {
    this.#lastAttempt = Date.now();
    this.fetches += 1;
    try {
      const jwks = await this.fetchJwks();
      const fresh = new Map<string, VerificationKey>();
      for (const jwk of jwks) {
        if (typeof jwk.kid !== 'string' || jwk.kty !== 'RSA' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
        fresh.set(jwk.kid, await importJWK({ ...jwk, alg: 'RS256' }, 'RS256'));
      }
      // A JWKS without usable keys is an answer we cannot verify with: the keys known so far stay.
      if (fresh.size === 0 && this.#keys.size > 0) return;
      this.#keys.clear();
      for (const [kid, key] of fresh) this.#keys.set(kid, key);
      this.#lastError = undefined;
    } catch (error) {
      this.#lastError =
        error instanceof ProviderError
          ? error
          : new ProviderError('PROVIDER_BAD_RESPONSE', 'clerk JWKS could not be read', {
              provider: 'clerk',
              cause: error,
            });
    }
  }
}
