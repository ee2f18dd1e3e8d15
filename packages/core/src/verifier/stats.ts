// What a verifier reports of itself (`verifier.stats()`): shapes only, importing nothing, so that telemetry, the
// verifier and metering can all name them without importing one another.

/** What batched metering did, since the verifier was created (all zero in strict mode). */
export interface MeteringStats {
  /** Requests of metered keys admitted from memory (also counted in `hits`). */
  admitted: number;
  /** Settlement calls answered. */
  settlements: number;
  /** Admissions the service recorded through them. */
  settled: number;
  /** Settlement calls that failed; their admissions go with the next batch (unless the call may have been applied). */
  failedSettlements: number;
  /** Admissions not confirmed yet: waiting for their batch, or in a settlement under way. */
  unsettled: number;
  /**
   * Admissions the service would not record: the key was revoked, disabled or expired meanwhile, or other instances
   * used up a limit first. This is how far past a limit the fleet went.
   */
  refused: number;
  /** Admissions in a settlement whose answer was lost after it may have reached the service: maybe recorded, not repeated. */
  inDoubt: number;
  /** Admissions still unsettled when `close()` gave up on a failing key service. */
  lost: number;
}

/** What a verifier did since it was created, and what its memory holds now (`verifier.stats()`). */
export interface VerifierStats {
  /** Answers from memory within their fresh window (and metered admissions, rate-limited answers from memory). */
  hits: number;
  /** Answers from memory past their fresh window, each starting a background refresh. */
  staleHits: number;
  /** Unknown, expired or disabled keys answered from memory. */
  negativeHits: number;
  /** Verifications memory could not answer. */
  misses: number;
  /** Calls made to the provider. */
  upstreamCalls: number;
  /** Misses that waited for a call already under way for the same key instead of making their own. */
  coalesced: number;
  /** Provider calls that failed (down, timed out, refused). */
  providerErrors: number;
  /** Keys memory holds answers for. */
  entries: number;
  /** Negative answers memory holds. */
  negativeEntries: number;
  /** Batched metering's counts (all zero in strict mode). */
  metering: MeteringStats;
}

/** What a verifier takes, for the adapters that read keys for it. */
export interface VerifierLimits {
  /**
   * The longest key this verifier takes (its provider's `maxKeyLength`, else 512); adapters read keys up to it.
   * @default MAX_KEY_LENGTH
   */
  readonly maxKeyLength?: number;
}
