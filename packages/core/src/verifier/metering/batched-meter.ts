import { ProviderError } from '../../errors.js';
import type { ProviderAnswer, Verification, VerificationCost } from '../../types.js';
import type { MeteringStats } from '../stats.js';
import type { Budget, KeyMeter } from './budget.js';
import type { MeteredCall, MeteringHost } from './calls.js';
import { localVerification } from './local-verification.js';
import type { BatchedMeteringSettings } from './options.js';
import { MeterRegistry } from './registry.js';
import { mayHaveBeenApplied } from './settlement-failure.js';

export const NO_METERING: Readonly<MeteringStats> = Object.freeze({
  admitted: 0,
  settlements: 0,
  settled: 0,
  failedSettlements: 0,
  unsettled: 0,
  refused: 0,
  inDoubt: 0,
  lost: 0,
});

/**
 * Batched metering: admits requests of metered keys from memory while every budget of the key (its credits, each of
 * its rate limits) keeps more than `margin` in this instance's estimate and fewer than `maxUnsettled` unconfirmed
 * admissions, and settles the admissions upstream `maxBatch` at a time or after `maxDelayMs`. Every upstream answer
 * about the key, per-request or settlement, refreshes the estimates.
 *
 * A key at its edge is verified upstream per request, and before each such call the admissions already made against
 * the same budgets are settled: the service then sees them first, so one instance never admits more than a limit.
 *
 * With a fleet that shares metering counts (`host.shared`), each budget's estimate also subtracts what the other
 * instances hold unconfirmed, as last read, so the margin and the edge cover the whole fleet.
 */
export class BatchedMeter {
  private seq = 0;
  private readonly counts = {
    admitted: 0,
    settlements: 0,
    settled: 0,
    failedSettlements: 0,
    refused: 0,
    inDoubt: 0,
    lost: 0,
  };
  private readonly known: MeterRegistry;
  private readonly meters: Map<string, KeyMeter>;
  private settlingUnits = 0;
  private closing = false;

  constructor(
    private readonly settings: BatchedMeteringSettings,
    private readonly host: MeteringHost,
  ) {
    this.known = new MeterRegistry(host, this.counts);
    this.meters = this.known.meters;
  }

  /** Admits one request of the key from memory, or answers undefined when it must be verified upstream. */
  admit(key: string, digest: string, now: number): Verification | undefined {
    const meter = this.meters.get(digest);
    const answer = meter?.answer;
    if (!meter || !answer || this.blocker(meter, now) !== undefined) return undefined;
    meter.pending += 1;
    if (meter.credits) meter.credits.pending += 1;
    for (const limit of meter.limits) limit.pending += 1;
    meter.key = key;
    this.counts.admitted += 1;
    const verification = localVerification(meter, answer);
    if (meter.pending >= this.settings.maxBatch) this.flush(meter);
    else this.arm(meter);
    return verification;
  }

  /**
   * Whether one request of the key may be verified upstream now without taking room that admissions already made
   * need: every budget keeps at least this one unit beyond all its unconfirmed spends (or, past its window's reset,
   * has none). Otherwise the request waits for settlements first (`settleFirst`): the service must see them first.
   */
  mayVerifyNow(digest: string, now: number): boolean {
    const meter = this.meters.get(digest);
    if (!meter) return true;
    return meter.budgets().every((budget) => (now >= budget.reset ? budget.unsettled() === 0 : budget.estimate() >= 1));
  }

  /**
   * Settles the admissions made against a key's budgets (its own, and those of keys sharing a limit with it) and
   * answers when those settlements are done, or undefined when there are none.
   */
  settleFirst(digest: string): Promise<void> | undefined {
    const meter = this.meters.get(digest);
    if (!meter) return undefined;
    const related = new Set<KeyMeter>([meter]);
    for (const budget of meter.budgets()) for (const spender of budget.spenders) related.add(spender);
    const waits: Promise<unknown>[] = [];
    for (const other of related) {
      if (other.pending > 0) this.flush(other);
      waits.push(...other.settling);
    }
    return waits.length > 0 ? Promise.all(waits).then(() => undefined) : undefined;
  }

  /**
   * With shared counts: when what the other instances hold unconfirmed is what leaves a budget no room for one more
   * upstream verification, a wait of one refresh of the shared counts (their settlements may be confirmed meanwhile,
   * and the service should see them first); undefined when the others hold nothing that stands in the way.
   */
  othersSettling(digest: string, now: number): Promise<void> | undefined {
    const meter = this.meters.get(digest);
    const refreshMs = this.host.sharedRefreshMs;
    if (!meter || !this.host.shared || refreshMs === undefined) return undefined;
    const waiting = meter
      .budgets()
      .some((budget) => now < budget.reset && budget.estimate() < 1 && budget.othersHold() > 0);
    if (!waiting) return undefined;
    return new Promise((resolve) => setTimeout(resolve, refreshMs));
  }

  /** Numbers a per-request verification about to be sent and counts its one unit on the key's budgets. */
  open(digest: string): MeteredCall {
    const meter = this.meters.get(digest);
    if (!meter) return { seq: ++this.seq, digest, units: 1, budgets: [] };
    const budgets = meter.budgets();
    for (const budget of budgets) budget.inFlight += 1;
    meter.openCalls += 1;
    return { seq: ++this.seq, digest, units: 1, budgets, releasedAtSend: this.releasedNow(budgets), meter };
  }

  /**
   * The outcome of a call: its spend leaves the in-flight counts, the answer refreshes the estimates, and, when
   * `current` (nothing was invalidated since it was sent) and it is the newest, decides whether the key is admitted.
   */
  answered(call: MeteredCall, outcome: ProviderAnswer | ProviderError, current: boolean, now: number): void {
    for (const budget of call.budgets) budget.inFlight -= call.units;
    if (call.meter) call.meter.openCalls -= 1;
    if (call.settlement) this.settlingUnits -= call.units;
    if (outcome instanceof ProviderError) {
      if (call.settlement) this.settlementFailed(call, call.settlement.key, outcome);
    } else {
      if (call.settlement && !call.settlement.topUp) {
        this.counts.settlements += 1;
        if (outcome.valid) this.counts.settled += call.units;
        else this.counts.refused += call.units;
      }
      this.known.learn(call, outcome, current, now);
      if (call.settlement && !call.settlement.namedLimits && outcome.valid)
        this.topUp(call.digest, call.settlement.key, call.units - 1);
    }
    const meter = this.meters.get(call.digest);
    if (meter?.pending === 0) meter.key = undefined;
    for (const budget of call.budgets) this.known.release(budget);
  }

  /** Stops admitting a key from memory (after an invalidation); what it has pending is still settled. */
  forget(digest: string): void {
    const meter = this.meters.get(digest);
    if (meter) meter.answer = undefined;
  }

  forgetKeyId(keyId: string): void {
    for (const meter of this.meters.values()) if (meter.keyId === keyId) meter.answer = undefined;
  }

  forgetAll(): void {
    for (const meter of this.meters.values()) meter.answer = undefined;
  }

  /**
   * Stops admitting and settles everything pending: a settlement that fails is tried once more, and completions of
   * settlements (top-ups) are waited for.
   */
  async close(): Promise<void> {
    this.closing = true;
    for (let round = 0; ; round++) {
      const waits: Promise<unknown>[] = [];
      for (const meter of this.meters.values()) {
        if (meter.pending > 0 && round < 2) this.flush(meter);
        waits.push(...meter.settling);
      }
      if (waits.length === 0) break;
      await Promise.all(waits);
    }
    let lost = 0;
    for (const meter of this.meters.values()) {
      if (meter.timer) clearTimeout(meter.timer);
      meter.timer = undefined;
      lost += meter.pending;
      meter.pending = 0;
      meter.key = undefined;
    }
    if (lost > 0) {
      this.counts.lost += lost;
      this.host.logger.warn(
        `keyguard: ${lost} requests admitted by batched metering could not be settled before close: the key service kept failing`,
        { lost },
      );
    }
  }

  stats(): MeteringStats {
    let pending = 0;
    for (const meter of this.meters.values()) pending += meter.pending;
    return { ...this.counts, unsettled: pending + this.settlingUnits };
  }

  /**
   * Whether admitting one more request from memory is possible once the settlements under way are answered: true when
   * the only thing in the way is the cap on unconfirmed admissions (waiting is then better than a call per request).
   */
  waitingHelps(digest: string, now: number): boolean {
    const meter = this.meters.get(digest);
    return meter?.answer !== undefined && this.blocker(meter, now) === 'unsettled';
  }

  /**
   * What keeps one more admission out: `edge` (no fresh answer, a window over, or no more than the margin left),
   * `unsettled` (as many unconfirmed admissions as `maxUnsettled`), or undefined when it can be admitted.
   */
  private blocker(meter: KeyMeter, now: number): 'edge' | 'unsettled' | undefined {
    if (this.closing || now >= meter.admitUntil) return 'edge';
    if (!meter.credits && meter.limits.length === 0) return 'edge';
    // Runs on every admission: no array built for it.
    let blocked = meter.credits ? this.budgetBlocker(meter.credits, now) : undefined;
    if (blocked === 'edge') return blocked;
    for (const limit of meter.limits) {
      const limitBlocker = this.budgetBlocker(limit, now);
      if (limitBlocker === 'edge') return limitBlocker;
      blocked ??= limitBlocker;
    }
    return blocked;
  }

  private budgetBlocker(budget: Budget, now: number): 'edge' | 'unsettled' | undefined {
    if (now >= budget.reset || budget.estimate() - 1 < this.settings.margin) return 'edge';
    return budget.unsettled() >= this.settings.maxUnsettled ? 'unsettled' : undefined;
  }

  /** Sends what is pending for a key as one settlement: credits and every known limit cost n. */
  private flush(meter: KeyMeter): void {
    if (meter.timer) clearTimeout(meter.timer);
    meter.timer = undefined;
    const units = meter.pending;
    const key = meter.key;
    if (units === 0 || key === undefined) return;
    const budgets = meter.budgets();
    for (const budget of budgets) {
      budget.pending -= units;
      budget.inFlight += units;
    }
    meter.pending = 0;
    meter.openCalls += 1;
    this.settlingUnits += units;
    const namedLimits = meter.nameLimits;
    const call: MeteredCall = {
      seq: ++this.seq,
      digest: meter.digest,
      units,
      budgets,
      releasedAtSend: this.releasedNow(budgets),
      meter,
      settlement: { key, namedLimits },
    };
    const cost: VerificationCost = {
      credits: meter.credits ? units : 0,
      ratelimits: namedLimits ? meter.limits.map((limit) => ({ name: limit.name, cost: units })) : [],
    };
    this.send(meter, key, cost, call);
  }

  /**
   * After a settlement that could not name the key's limits (the service charged each limit it applies by itself one
   * unit): charges the limits its answer listed the rest of the batch, and no credits.
   */
  private topUp(digest: string, key: string, units: number): void {
    const meter = this.meters.get(digest);
    if (!meter || units <= 0 || meter.limits.length === 0) return;
    const budgets = [...meter.limits];
    for (const budget of budgets) budget.inFlight += units;
    meter.openCalls += 1;
    this.settlingUnits += units;
    const call: MeteredCall = {
      seq: ++this.seq,
      digest,
      units,
      budgets,
      releasedAtSend: this.releasedNow(budgets),
      meter,
      settlement: { key, namedLimits: true, topUp: true },
    };
    this.send(
      meter,
      key,
      { credits: 0, ratelimits: budgets.map((limit) => ({ name: limit.name, cost: units })) },
      call,
    );
  }

  private releasedNow(budgets: readonly Budget[]): readonly number[] | undefined {
    return this.host.shared ? budgets.map((budget) => budget.releasedNow()) : undefined;
  }

  private send(meter: KeyMeter, key: string, cost: VerificationCost, call: MeteredCall): void {
    const settling: Promise<unknown> = this.host
      .settle(key, meter.digest, cost, call)
      .finally(() => meter.settling.delete(settling));
    meter.settling.add(settling);
    this.host.waitUntil?.(settling);
  }

  /** Schedules the key's next settlement, `maxDelayMs` after the oldest admission waiting for it. */
  private arm(meter: KeyMeter): void {
    if (meter.timer || this.closing) return;
    meter.timer = setTimeout(() => this.flush(meter), this.settings.maxDelayMs);
    (meter.timer as { unref?: () => void }).unref?.();
  }

  private settlementFailed(call: MeteredCall, key: string, error: ProviderError): void {
    this.counts.failedSettlements += 1;
    if (mayHaveBeenApplied(error)) {
      this.counts.inDoubt += call.units;
      return;
    }
    const meter = this.meters.get(call.digest);
    // A top-up's credits were recorded already; putting it back would charge them twice.
    if (!meter || call.settlement?.topUp) {
      this.counts.lost += call.units;
      return;
    }
    // A limit named in the settlement no longer exists upstream: settle without naming limits until an answer lists them.
    if (error.code === 'PROVIDER_BAD_REQUEST') meter.nameLimits = false;
    meter.pending += call.units;
    for (const budget of meter.budgets()) budget.pending += call.units;
    meter.key ??= key;
    this.arm(meter);
  }
}
