import { ProviderError } from '../errors.js';
import { messageFirst } from '../logging/write-log.js';
import type { Runtime } from '../runtime/types.js';
import { instrumentVerifier } from '../telemetry/instrument-verifier.js';
import type { Logger, ProviderAnswer, Verification, VerificationCost } from '../types.js';
import { VerificationCache, type ValidEntry } from './cache.js';
import { OutageLog } from './outage-log.js';
import { BatchedMeter, NO_METERING, type MeteredCall } from './metering/batched-meter.js';
import { sharedMeteringRefreshMs } from './metering/options.js';
import { resolveVerifierOptions } from './options.js';
import { passesPrecheck } from './precheck.js';
import { retentionOf, shareMs } from './cache-policy.js';
import type { FleetAnswer, Invalidation, Verifier, VerifierOptions, VerifierStats, VerifyOptions, WaitUntil } from './types.js';

/** Settlement rounds a request of a busy metered key waits for before it is verified on its own. */
const MAX_SETTLEMENT_WAITS = 5;
/** How long to tell callers to wait when the provider failed without saying. */
const DEFAULT_RETRY_AFTER_MS = 1000;
const INVALID_FORMAT: Verification = Object.freeze({ valid: false, code: 'INVALID_KEY_FORMAT', source: 'local' });

function toVerification(answer: ProviderAnswer, source: Verification['source']): Verification {
  const verification: Verification =
    answer.valid && answer.key ? { valid: true, code: answer.code, source, key: answer.key } : { valid: false, code: answer.valid ? 'UNKNOWN_CODE' : answer.code, source };
  if (answer.ratelimits) verification.ratelimits = answer.ratelimits;
  if (answer.requestId) verification.requestId = answer.requestId;
  if (answer.keyId && !verification.valid) verification.keyId = answer.keyId;
  return verification;
}


/** What the verifier counts itself; `stats()` adds the cache's entry counts. */
type Counters = Omit<VerifierStats, 'entries' | 'negativeEntries' | 'metering'>;

/**
 * Builds a verifier for a runtime (Node or fetch-only). The public `createVerifier` of each entry point binds
 * the runtime, so users never pass one.
 */
export function createVerifierWith(runtime: Runtime, options: VerifierOptions): Verifier {
  const settings = resolveVerifierOptions(options);
  const { hooks, failOpen, maxRetryAfterMs, metering: meteringSettings } = settings;
  // Telemetry sees the verifier through a wrapped provider (a span and a duration per call) and every answer given.
  const instrumentation = instrumentVerifier(runtime, settings.telemetry, { provider: settings.provider, stats: () => verifier.stats() });
  const provider = instrumentation?.provider ?? settings.provider;
  const keyPrefix = settings.keyPrefix === false ? undefined : (settings.keyPrefix ?? provider.keyPrefix);
  const defaultWaitUntil = settings.waitUntil;
  const logger: Logger = settings.logger ? messageFirst(settings.logger) : console;
  const outage = new OutageLog(logger, provider.name, failOpen ? 'keys not in memory are let through without a key' : 'keys not in memory are answered 503');
  const cache = settings.cache ? new VerificationCache(settings.cache) : undefined;
  const inFlight = new Map<string, Promise<ProviderAnswer | ProviderError>>();
  const counters: Counters = { hits: 0, staleHits: 0, negativeHits: 0, misses: 0, upstreamCalls: 0, coalesced: 0, providerErrors: 0 };
  /** Bumped by every invalidation: an answer requested before it is not stored. */
  let invalidations = 0;
  /** The provider asked us (429 Retry-After) not to call before this time. */
  let providerBlockedUntil = 0;
  let misconfigurationLogged = false;
  /** Invalidations whose digest is still being computed (fetch runtimes hash asynchronously). */
  let pendingInvalidations: Promise<void> | undefined;
  const unsubscribers = settings.clients.map((client) =>
    client.onKeyChange((change) => (change.keyId !== undefined ? verifier.invalidateKeyId(change.keyId) : verifier.invalidateAll())),
  );
  // The fleet's invalidations drop from memory here without being published again.
  const dropFromMemory = (invalidation: Invalidation): void => {
    invalidations += 1;
    if (invalidation.digest !== undefined) cache?.delete(invalidation.digest);
    else if (invalidation.keyId !== undefined) cache?.deleteKeyId(invalidation.keyId);
    else cache?.clear();
  };
  const sharedRefreshMs = meteringSettings ? sharedMeteringRefreshMs(meteringSettings.maxDelayMs) : undefined;
  const fleet = settings.fleet?.join({
    shareMs: (answer, now) => (cache ? shareMs(answer, cache.settings, now) : 0),
    drop: dropFromMemory,
    metering: sharedRefreshMs === undefined ? undefined : { refreshMs: sharedRefreshMs },
  });
  const metering =
    meteringSettings && cache
      ? new BatchedMeter(meteringSettings, {
          settle: (key, digest, cost, call) => callProvider(key, digest, { cost, call }),
          freshMs: cache.settings.freshMs,
          maxMeters: cache.settings.maxEntries,
          waitUntil: settings.waitUntil,
          logger,
          shared: fleet?.metering,
          sharedRefreshMs,
        })
      : undefined;

  /** Keeps an answer in memory as the cache policy says (`retentionOf`), the same policy the fleet shares by. */
  function store(digest: string, answer: ProviderAnswer, now: number): void {
    if (!cache) return;
    const kept = retentionOf(answer, cache.settings, now);
    switch (kept?.kind) {
      case 'valid': {
        const { keyId, freshUntil, staleUntil, staleIfErrorUntil, expiresAt } = kept;
        const [hit, stale] = [Object.freeze(toVerification(answer, 'cache')), Object.freeze(toVerification(answer, 'stale'))];
        cache.setKey(digest, { kind: 'valid', keyId, freshUntil, staleUntil, staleIfErrorUntil, expiresAt, hit, stale, refreshing: false });
        return;
      }
      case 'metered':
        cache.setKey(digest, { kind: 'metered', keyId: kept.keyId });
        return;
      case 'rate_limited':
        cache.setKey(digest, { kind: 'rate_limited', keyId: kept.keyId, until: kept.until, hit: Object.freeze({ ...toVerification(answer, 'cache'), retryAt: kept.until }) });
        return;
      case 'negative':
        cache.setNegative(digest, { keyId: kept.keyId, until: kept.until, hit: Object.freeze(toVerification(answer, 'cache')) });
        return;
      default:
    }
  }

  function reportProviderError(error: ProviderError): void {
    counters.providerErrors += 1;
    hooks.onProviderError?.(error);
    if (error.isMisconfiguration && !misconfigurationLogged) {
      misconfigurationLogged = true;
      // The message says what to fix (a 404 names the base URL); providers build it without any key or secret.
      logger.error(`keyguard: the ${error.provider} key service refused our own credentials or request (${error.code}: ${error.message}); every request will be answered 500 until the configuration is fixed`, {
        provider: error.provider,
        status: error.status,
        requestId: error.requestId,
      });
    }
  }

  /**
   * When callers may try again after a failure: the provider's `Retry-After`, else a second, never further than
   * `maxRetryAfterMs` (a wrong or hostile `Retry-After` of years would otherwise refuse every request until a restart).
   */
  function retryAtAfter(error: ProviderError, now: number): number {
    return Math.min(error.retryAt ?? now + DEFAULT_RETRY_AFTER_MS, now + maxRetryAfterMs);
  }

  /**
   * One upstream call. Never throws: a failure comes back as the ProviderError value. With batched metering every call
   * is tracked (`call`: a settlement's, or one opened here) and its outcome handed to the meter.
   */
  async function callProvider(key: string, digest: string, settlement?: { cost: VerificationCost; call: MeteredCall }): Promise<ProviderAnswer | ProviderError> {
    const call = settlement?.call ?? metering?.open(digest);
    const now = Date.now();
    if (now < providerBlockedUntil) {
      const error = new ProviderError('PROVIDER_RATE_LIMITED', 'waiting for the key service rate limit to reset', { provider: provider.name, retryAt: providerBlockedUntil });
      if (call) metering?.answered(call, error, false, now);
      return error;
    }
    counters.upstreamCalls += 1;
    const generation = invalidations;
    try {
      // A settlement spends what it reports: it goes to the provider itself, never through the fleet's shared answers.
      // Only the provider's own answer ends an outage, not one the fleet's shared cache gave.
      const ask = () =>
        (settlement ? provider.verify(key, settlement.cost) : provider.verify(key)).then((answer) => {
          outage.answered();
          return answer;
        });
      const { answer, obtainedAt }: FleetAnswer = fleet && !settlement ? await fleet.resolve(digest, ask) : { answer: await ask(), obtainedAt: Date.now() };
      const current = generation === invalidations;
      if (call) metering?.answered(call, answer, current, obtainedAt);
      if (current) store(digest, answer, obtainedAt);
      return answer;
    } catch (thrown) {
      const error =
        thrown instanceof ProviderError
          ? thrown
          : new ProviderError('PROVIDER_BAD_RESPONSE', 'the provider failed unexpectedly', { provider: provider.name, cause: thrown });
      if (error.code === 'PROVIDER_RATE_LIMITED') providerBlockedUntil = Math.max(providerBlockedUntil, retryAtAfter(error, Date.now()));
      if (call) metering?.answered(call, error, false, Date.now());
      if (!error.isMisconfiguration) outage.failed(error);
      // A settlement naming a limit deleted upstream is refused (412): the meter settles without names next time; it
      // says nothing about our configuration.
      if (settlement && error.code === 'PROVIDER_BAD_REQUEST') {
        counters.providerErrors += 1;
        hooks.onProviderError?.(error);
      } else {
        reportProviderError(error);
      }
      return error;
    }
  }

  /** What a caller gets when the provider failed: the last good answer, a fail-open pass, or a 503. */
  function answerForError(error: ProviderError, digest: string): Verification {
    if (error.isMisconfiguration) return { valid: false, code: 'PROVIDER_MISCONFIGURED', source: 'upstream', requestId: error.requestId };
    const entry = cache?.getKey(digest);
    const now = Date.now();
    if (entry?.kind === 'valid' && now < entry.staleIfErrorUntil && now < entry.expiresAt) return entry.stale;
    if (failOpen) return { valid: false, code: 'PROVIDER_UNAVAILABLE', source: 'upstream', failedOpen: true };
    return { valid: false, code: 'PROVIDER_UNAVAILABLE', source: 'upstream', retryAt: retryAtAfter(error, now) };
  }

  function settle(result: ProviderAnswer | ProviderError, digest: string): Verification {
    return result instanceof ProviderError ? answerForError(result, digest) : toVerification(result, 'upstream');
  }

  /** Concurrent misses for one key share one upstream call. */
  function coalescedCall(key: string, digest: string): { promise: Promise<ProviderAnswer | ProviderError>; leader: boolean } {
    const pending = inFlight.get(digest);
    if (pending) return { promise: pending, leader: false };
    const promise = callProvider(key, digest).finally(() => inFlight.delete(digest));
    inFlight.set(digest, promise);
    return { promise, leader: true };
  }

  function refreshInBackground(key: string, digest: string, entry: ValidEntry, waitUntil: WaitUntil | undefined): void {
    if (entry.refreshing || inFlight.has(digest)) return;
    entry.refreshing = true;
    const refresh = coalescedCall(key, digest).promise;
    // On serverless and edge platforms the refresh would be cut off with the response unless handed over.
    (waitUntil ?? defaultWaitUntil)?.(refresh);
  }

  async function verifyUpstream(key: string, digest: string, knownMetered: boolean): Promise<Verification> {
    if (knownMetered && metering) return verifyMeteredUpstream(key, digest, false);
    if (knownMetered || !cache) return settle(await callProvider(key, digest), digest);
    const { promise, leader } = coalescedCall(key, digest);
    if (!leader) counters.coalesced += 1;
    const result = await promise;
    // A follower must not ride on a metered key's answer: each request spends its own credit.
    if (!leader && !(result instanceof ProviderError) && result.metered && !cache?.settings.cacheMeteredKeys) {
      // With batched metering, the leader's answer may already let it be admitted from memory.
      if (metering) return verifyMeteredUpstream(key, digest, true);
      return settle(await callProvider(key, digest), digest);
    }
    return settle(result, digest);
  }

  /**
   * A metered key that memory could not admit (batched metering). While only the cap on unconfirmed admissions stands
   * in the way, or when this request could take room that admissions already made need, it waits for the settlements
   * under way (this instance's; in a fleet sharing counts, also the other instances', one refresh of their counts at a
   * time; a few rounds at most) and asks memory again: their answers may admit it, or deny it until a reset. Then
   * the provider verifies this one request, alongside the settlements, never ahead of admissions it could crowd out.
   */
  async function verifyMeteredUpstream(key: string, digest: string, askMemoryFirst: boolean): Promise<Verification> {
    if (askMemoryFirst) {
      const remembered = lookup(key, digest, undefined);
      if (remembered) return remembered;
    }
    for (let round = 0; round < MAX_SETTLEMENT_WAITS && metering; round++) {
      const now = Date.now();
      if (!metering.waitingHelps(digest, now) && metering.mayVerifyNow(digest, now)) break;
      // Settlements of this instance first; else, in a fleet sharing counts, the others' (one refresh of their counts).
      const settling = metering.settleFirst(digest) ?? metering.othersSettling(digest, now);
      if (!settling) break;
      await settling;
      const remembered = lookup(key, digest, undefined);
      if (remembered) return remembered;
    }
    return settle(await callProvider(key, digest), digest);
  }

  const verifier: Verifier = {
    verifyCached(key: string, verifyOptions?: VerifyOptions): Verification | undefined {
      if (!passesPrecheck(key, keyPrefix)) return rejectFormat();
      // An invalidation still hashing, or a runtime that hashes asynchronously: only verify() can answer.
      if (pendingInvalidations) return undefined;
      const digest = runtime.digest(key);
      if (typeof digest !== 'string') return undefined;
      return answerFromMemory(key, digest, hooks.onVerification ? Date.now() : 0, verifyOptions?.waitUntil);
    },
    verify(key: string, verifyOptions?: VerifyOptions): Promise<Verification> {
      if (!passesPrecheck(key, keyPrefix)) return Promise.resolve(rejectFormat());
      const started = hooks.onVerification ? Date.now() : 0;
      const waitUntil = verifyOptions?.waitUntil;
      if (!pendingInvalidations) {
        const digest = runtime.digest(key);
        if (typeof digest === 'string') {
          const cached = answerFromMemory(key, digest, started, waitUntil);
          return cached ? Promise.resolve(cached) : verifyMiss(key, digest, started);
        }
      }
      return verifyAfterHashing(key, started, waitUntil);
    },
    invalidate(key: string): void {
      invalidations += 1;
      if (!cache || !passesPrecheck(key, undefined)) return;
      const computed = runtime.digest(key);
      if (typeof computed === 'string') {
        cache.delete(computed);
        fleet?.publish({ digest: computed });
        metering?.forget(computed);
        return;
      }
      // Runtimes with an asynchronous digest: verifications wait for the drop so none is answered from the old entry.
      const dropped = computed.then((digest) => {
        cache.delete(digest);
        fleet?.publish({ digest });
        metering?.forget(digest);
      });
      const pending = (pendingInvalidations ?? Promise.resolve()).then(() => dropped);
      pendingInvalidations = pending;
      void pending.then(() => {
        if (pendingInvalidations === pending) pendingInvalidations = undefined;
      });
    },
    invalidateKeyId(keyId: string): void {
      invalidations += 1;
      cache?.deleteKeyId(keyId);
      fleet?.publish({ keyId });
      metering?.forgetKeyId(keyId);
    },
    invalidateAll(): void {
      invalidations += 1;
      cache?.clear();
      fleet?.publish({ all: true });
      metering?.forgetAll();
    },
    stats(): VerifierStats {
      return { ...counters, entries: cache?.size ?? 0, negativeEntries: cache?.negativeSize ?? 0, metering: metering?.stats() ?? { ...NO_METERING } };
    },
    async close(): Promise<void> {
      for (const unsubscribe of unsubscribers) unsubscribe();
      // Requests admitted from memory are reported before the connections go.
      await metering?.close();
      await fleet?.leave();
      instrumentation?.close();
      cache?.clear();
      await provider.close?.();
    },
  };

  /** The answer memory can give for a digest, or undefined when the provider must be asked. */
  function lookup(key: string, digest: string, waitUntil: WaitUntil | undefined): Verification | undefined {
    if (!cache) return undefined;
    const now = Date.now();
    // Real keys first: a digest is never in both caches, and valid keys are the common case.
    const entry = cache.getKey(digest);
    if (entry?.kind === 'valid' && now < entry.expiresAt) {
      if (now < entry.freshUntil) {
        counters.hits += 1;
        return entry.hit;
      }
      if (now < entry.staleUntil) {
        counters.staleHits += 1;
        refreshInBackground(key, digest, entry, waitUntil);
        return entry.stale;
      }
    } else if (entry?.kind === 'metered' && metering) {
      const admitted = metering.admit(key, digest, now);
      if (admitted) {
        counters.hits += 1;
        return admitted;
      }
    } else if (entry?.kind === 'rate_limited' && now < entry.until) {
      counters.hits += 1;
      return entry.hit;
    }
    if (entry) return undefined;
    const negative = cache.getNegative(digest);
    if (negative && now < negative.until) {
      counters.negativeHits += 1;
      return negative.hit;
    }
    return undefined;
  }

  /** Memory's answer for a digest, reported to the hook when there is one. */
  function answerFromMemory(key: string, digest: string, started: number, waitUntil: WaitUntil | undefined): Verification | undefined {
    const verification = lookup(key, digest, waitUntil);
    if (verification) {
      instrumentation?.answered(verification);
      hooks.onVerification?.({ digest, verification, durationMs: Date.now() - started });
    }
    return verification;
  }

  function rejectFormat(): Verification {
    instrumentation?.answered(INVALID_FORMAT);
    return INVALID_FORMAT;
  }

  /** After pending invalidations and an asynchronous digest (fetch runtimes): memory, else the provider. */
  async function verifyAfterHashing(key: string, started: number, waitUntil: WaitUntil | undefined): Promise<Verification> {
    if (pendingInvalidations) await pendingInvalidations;
    const digest = await runtime.digest(key);
    return answerFromMemory(key, digest, started, waitUntil) ?? verifyMiss(key, digest, started);
  }

  async function verifyMiss(key: string, digest: string, started: number): Promise<Verification> {
    counters.misses += 1;
    const verification = await verifyUpstream(key, digest, cache?.getKey(digest)?.kind === 'metered');
    instrumentation?.answered(verification);
    hooks.onVerification?.({ digest, verification, durationMs: Date.now() - started });
    return verification;
  }


  return verifier;
}
