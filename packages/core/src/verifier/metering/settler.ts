import type { ProviderError } from '../../errors.js';
import type { VerificationCost } from '../../types.js';
import type { MeteringStats } from '../stats.js';
import type { Budget, KeyMeter } from './budget.js';
import type { MeteredCall, MeteringHost } from './calls.js';
import type { BatchedMeteringSettings } from './options.js';
import { mayHaveBeenApplied } from './settlement-failure.js';

/** The counts of `MeteringStats` a settler keeps. */
export type SettlementCounts = Pick<MeteringStats, 'failedSettlements' | 'inDoubt' | 'lost'>;

/**
 * The settling half of batched metering: sends what a key has pending as one upstream call (at once, or
 * `maxDelayMs` after the oldest admission), completes the rate-limit spend of settlements that could not name the
 * key's limits, and puts a failed settlement's admissions back unless the service may have applied it. Numbers every
 * metered call, per-request or settlement, so that answers can be ordered.
 */
export class Settler {
  /** Units of settlements sent and not yet answered. */
  settlingUnits = 0;
  /** Set by close: nothing is scheduled any more, and nothing is admitted. */
  closing = false;
  private seq = 0;

  constructor(
    private readonly settings: BatchedMeteringSettings,
    private readonly host: MeteringHost,
    private readonly counts: SettlementCounts,
  ) {}

  nextSeq(): number {
    return ++this.seq;
  }

  /** Each budget's `releasedNow()` at send time, when the fleet shares counts (see `Budget.observe`). */
  releasedNow(budgets: readonly Budget[]): readonly number[] | undefined {
    return this.host.shared ? budgets.map((budget) => budget.releasedNow()) : undefined;
  }

  /** Sends what is pending for a key as one settlement: credits and every known limit cost n. */
  flush(meter: KeyMeter): void {
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
    const namedLimits = meter.nameLimits;
    const cost: VerificationCost = {
      credits: meter.credits ? units : 0,
      ratelimits: namedLimits ? meter.limits.map((limit) => ({ name: limit.name, cost: units })) : [],
    };
    this.send(meter, key, cost, units, budgets, { key, namedLimits });
  }

  /**
   * After a settlement that could not name the key's limits (the service charged each limit it applies by itself one
   * unit): charges the limits its answer listed the rest of the batch, and no credits.
   */
  topUp(meter: KeyMeter | undefined, key: string, units: number): void {
    if (!meter || units <= 0 || meter.limits.length === 0) return;
    const budgets = [...meter.limits];
    for (const budget of budgets) budget.inFlight += units;
    const cost: VerificationCost = {
      credits: 0,
      ratelimits: budgets.map((limit) => ({ name: limit.name, cost: units })),
    };
    this.send(meter, key, cost, units, budgets, { key, namedLimits: true, topUp: true });
  }

  /** Schedules the key's next settlement, `maxDelayMs` after the oldest admission waiting for it. */
  arm(meter: KeyMeter): void {
    if (meter.timer || this.closing) return;
    meter.timer = setTimeout(() => this.flush(meter), this.settings.maxDelayMs);
    (meter.timer as { unref?: () => void }).unref?.();
  }

  /** A settlement the service did not answer: its admissions go back to pending, unless it may have been applied. */
  failed(call: MeteredCall, meter: KeyMeter | undefined, key: string, error: ProviderError): void {
    this.counts.failedSettlements += 1;
    if (mayHaveBeenApplied(error)) {
      this.counts.inDoubt += call.units;
      return;
    }
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

  private send(
    meter: KeyMeter,
    key: string,
    cost: VerificationCost,
    units: number,
    budgets: readonly Budget[],
    settlement: NonNullable<MeteredCall['settlement']>,
  ): void {
    meter.openCalls += 1;
    this.settlingUnits += units;
    const call: MeteredCall = {
      seq: this.nextSeq(),
      digest: meter.digest,
      units,
      budgets,
      releasedAtSend: this.releasedNow(budgets),
      meter,
      settlement,
    };
    const settling: Promise<unknown> = this.host
      .settle(key, meter.digest, cost, call)
      .finally(() => meter.settling.delete(settling));
    meter.settling.add(settling);
    this.host.waitUntil?.(settling);
  }
}
