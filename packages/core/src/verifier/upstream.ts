import { ProviderError } from '../errors.js';
import type { Logger, Provider, ProviderAnswer, Verification, VerificationCost } from '../types.js';
import type { ValidEntry } from './cache.js';
import type { Counters, Memory } from './memory.js';
import type { BatchedMeter } from './metering/batched-meter.js';
import type { MeteredCall } from './metering/calls.js';
import type { OutageLog } from './outage-log.js';
import type { FleetAnswer, FleetMembership, VerifierHooks, WaitUntil } from './types.js';
import { verificationOf } from './verification.js';

/** Settlement rounds a request of a busy metered key waits for before it is verified on its own. */
const MAX_SETTLEMENT_WAITS = 5;
/** How long to tell callers to wait when the provider failed without saying. */
const DEFAULT_RETRY_AFTER_MS = 1000;

/** A provider's answer, or its failure as a value. */
export type ProviderResult = ProviderAnswer | ProviderError;

/** What the request path past memory works with; `state.invalidations` is bumped by every invalidation. */
export interface UpstreamParts {
  provider: Provider;
  memory: Memory;
  fleet: FleetMembership | undefined;
  metering: BatchedMeter | undefined;
  outage: OutageLog;
  counters: Counters;
  hooks: VerifierHooks;
  logger: Logger;
  failOpen: boolean;
  maxRetryAfterMs: number;
  defaultWaitUntil: WaitUntil | undefined;
  state: { invalidations: number };
}

/**
 * The request path past memory: one upstream call per miss (coalesced, through the fleet when there is one), what a
 * failure is answered with, background refreshes, and the waits of metered keys on settlements under way.
 */
export class Upstream {
  private readonly inFlight = new Map<string, Promise<ProviderResult>>();
  /** The provider asked us (429 Retry-After) not to call before this time. */
  private providerBlockedUntil = 0;
  private misconfigurationLogged = false;

  constructor(private readonly parts: UpstreamParts) {}

  /**
   * One upstream call. Never throws: a failure comes back as the ProviderError value. With batched metering every call
   * is tracked (`call`: a settlement's, or one opened here) and its outcome handed to the meter.
   */
  async call(
    key: string,
    digest: string,
    settlement?: { cost: VerificationCost; call: MeteredCall },
  ): Promise<ProviderResult> {
    const { provider, fleet, metering, outage, counters, memory, state } = this.parts;
    const call = settlement?.call ?? metering?.open(digest);
    const now = Date.now();
    if (now < this.providerBlockedUntil) {
      const error = new ProviderError('PROVIDER_RATE_LIMITED', 'waiting for the key service rate limit to reset', {
        provider: provider.name,
        retryAt: this.providerBlockedUntil,
      });
      if (call) metering?.answered(call, error, false, now);
      return error;
    }
    counters.upstreamCalls += 1;
    const generation = state.invalidations;
    try {
      // A settlement spends what it reports: it goes to the provider itself, never through the fleet's shared answers.
      // Only the provider's own answer ends an outage, not one the fleet's shared cache gave.
      const ask = () =>
        (settlement ? provider.verify(key, settlement.cost) : provider.verify(key)).then((answer) => {
          outage.answered();
          return answer;
        });
      const { answer, obtainedAt }: FleetAnswer =
        fleet && !settlement ? await fleet.resolve(digest, ask) : { answer: await ask(), obtainedAt: Date.now() };
      const current = generation === state.invalidations;
      if (call) metering?.answered(call, answer, current, obtainedAt);
      if (current) memory.store(digest, answer, obtainedAt);
      return answer;
    } catch (thrown) {
      return this.failed(thrown, settlement !== undefined, call);
    }
  }

  /** A call that threw: counted, reported, and handed back as a ProviderError. */
  private failed(thrown: unknown, settling: boolean, call: MeteredCall | undefined): ProviderError {
    const { provider, metering, outage, counters, hooks } = this.parts;
    const error =
      thrown instanceof ProviderError
        ? thrown
        : new ProviderError('PROVIDER_BAD_RESPONSE', 'the provider failed unexpectedly', {
            provider: provider.name,
            cause: thrown,
          });
    if (error.code === 'PROVIDER_RATE_LIMITED')
      this.providerBlockedUntil = Math.max(this.providerBlockedUntil, this.retryAtAfter(error, Date.now()));
    if (call) metering?.answered(call, error, false, Date.now());
    if (!error.isMisconfiguration) outage.failed(error);
    // A settlement naming a limit deleted upstream is refused (412): the meter settles without names next time; it
    // says nothing about our configuration.
    if (settling && error.code === 'PROVIDER_BAD_REQUEST') {
      counters.providerErrors += 1;
      hooks.onProviderError?.(error);
    } else {
      this.reportProviderError(error);
    }
    return error;
  }

  private reportProviderError(error: ProviderError): void {
    this.parts.counters.providerErrors += 1;
    this.parts.hooks.onProviderError?.(error);
    if (error.isMisconfiguration && !this.misconfigurationLogged) {
      this.misconfigurationLogged = true;
      // The message says what to fix (a 404 names the base URL); providers build it without any key or secret.
      this.parts.logger.error(
        `keyguard: the ${error.provider} key service refused our own credentials or request (${error.code}: ${error.message}); every request will be answered 500 until the configuration is fixed`,
        {
          provider: error.provider,
          status: error.status,
          requestId: error.requestId,
        },
      );
    }
  }

  /**
   * When callers may try again after a failure: the provider's `Retry-After`, else a second, never further than
   * `maxRetryAfterMs` (a wrong or hostile `Retry-After` of years would otherwise refuse every request until a restart).
   */
  private retryAtAfter(error: ProviderError, now: number): number {
    return Math.min(error.retryAt ?? now + DEFAULT_RETRY_AFTER_MS, now + this.parts.maxRetryAfterMs);
  }

  /** What a caller gets when the provider failed: the last good answer, a fail-open pass, or a 503. */
  private answerForError(error: ProviderError, digest: string): Verification {
    if (error.isMisconfiguration)
      return { valid: false, code: 'PROVIDER_MISCONFIGURED', source: 'upstream', requestId: error.requestId };
    const entry = this.parts.memory.cache?.getKey(digest);
    const now = Date.now();
    if (entry?.kind === 'valid' && now < entry.staleIfErrorUntil && now < entry.expiresAt) return entry.stale;
    if (this.parts.failOpen)
      return { valid: false, code: 'PROVIDER_UNAVAILABLE', source: 'upstream', failedOpen: true };
    return { valid: false, code: 'PROVIDER_UNAVAILABLE', source: 'upstream', retryAt: this.retryAtAfter(error, now) };
  }

  /** The caller's answer for a provider result: the answer as a Verification, or what a failure is answered with. */
  private answerFor(result: ProviderResult, digest: string): Verification {
    return result instanceof ProviderError ? this.answerForError(result, digest) : verificationOf(result, 'upstream');
  }

  /** Concurrent misses for one key share one upstream call. */
  private coalesced(key: string, digest: string): { promise: Promise<ProviderResult>; leader: boolean } {
    const pending = this.inFlight.get(digest);
    if (pending) return { promise: pending, leader: false };
    const promise = this.call(key, digest).finally(() => this.inFlight.delete(digest));
    this.inFlight.set(digest, promise);
    return { promise, leader: true };
  }

  refreshInBackground(key: string, digest: string, entry: ValidEntry, waitUntil: WaitUntil | undefined): void {
    if (entry.refreshing || this.inFlight.has(digest)) return;
    entry.refreshing = true;
    const refresh = this.coalesced(key, digest).promise;
    // On serverless and edge platforms the refresh would be cut off with the response unless handed over.
    (waitUntil ?? this.parts.defaultWaitUntil)?.(refresh);
  }

  /** A memory miss: the provider's answer (or the fleet's), coalesced with concurrent misses unless the key is metered. */
  async verify(key: string, digest: string, knownMetered: boolean): Promise<Verification> {
    const { metering, memory, counters } = this.parts;
    if (knownMetered && metering) return this.verifyMetered(key, digest, false);
    if (knownMetered || !memory.cache) return this.answerFor(await this.call(key, digest), digest);
    const { promise, leader } = this.coalesced(key, digest);
    if (!leader) counters.coalesced += 1;
    const result = await promise;
    // A follower must not ride on a metered key's answer: each request spends its own credit.
    if (!leader && !(result instanceof ProviderError) && result.metered && !memory.cache.settings.cacheMeteredKeys) {
      // With batched metering, the leader's answer may already let it be admitted from memory.
      if (metering) return this.verifyMetered(key, digest, true);
      return this.answerFor(await this.call(key, digest), digest);
    }
    return this.answerFor(result, digest);
  }

  /**
   * A metered key that memory could not admit (batched metering). While only the cap on unconfirmed admissions stands
   * in the way, or when this request could take room that admissions already made need, it waits for the settlements
   * under way (this instance's; in a fleet sharing counts, also the other instances', one refresh of their counts at a
   * time; a few rounds at most) and asks memory again: their answers may admit it, or deny it until a reset. Then
   * the provider verifies this one request, alongside the settlements, never ahead of admissions it could crowd out.
   */
  private async verifyMetered(key: string, digest: string, askMemoryFirst: boolean): Promise<Verification> {
    const { metering, memory } = this.parts;
    if (askMemoryFirst) {
      const remembered = memory.lookup(key, digest, undefined);
      if (remembered) return remembered;
    }
    for (let round = 0; round < MAX_SETTLEMENT_WAITS && metering; round++) {
      const now = Date.now();
      if (!metering.waitingHelps(digest, now) && metering.mayVerifyNow(digest, now)) break;
      // Settlements of this instance first; else, in a fleet sharing counts, the others' (one refresh of their counts).
      const settling = metering.settleFirst(digest) ?? metering.othersSettling(digest, now);
      if (!settling) break;
      await settling;
      const remembered = memory.lookup(key, digest, undefined);
      if (remembered) return remembered;
    }
    return this.answerFor(await this.call(key, digest), digest);
  }
}
