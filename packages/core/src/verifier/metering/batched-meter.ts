import { ProviderError } from '../../errors.js';
import type { ProviderAnswer, Verification } from '../../types.js';
import type { MeteringStats } from '../stats.js';
import { admissionBlocker, othersStandInTheWay, roomForOneUpstream, type AdmissionBlocker } from './admission.js';
import type { KeyMeter } from './budget.js';
import type { MeteredCall, MeteringHost } from './calls.js';
import { localVerification } from './local-verification.js';
import type { BatchedMeteringSettings } from './options.js';
import { MeterRegistry } from './registry.js';
import { Settler } from './settler.js';

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
 *
 * When a request may be admitted is `admission.ts`; sending, scheduling and retrying settlements is `settler.ts`.
 */
export class BatchedMeter {
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
  private readonly settler: Settler;

  constructor(
    private readonly settings: BatchedMeteringSettings,
    private readonly host: MeteringHost,
  ) {
    this.known = new MeterRegistry(host, this.counts);
    this.meters = this.known.meters;
    this.settler = new Settler(settings, host, this.counts);
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
    if (meter.pending >= this.settings.maxBatch) this.settler.flush(meter);
    else this.settler.arm(meter);
    return verification;
  }

  /**
   * Whether one request of the key may be verified upstream now without taking room that admissions already made
   * need (see `roomForOneUpstream`). Otherwise the request waits for settlements first (`settleFirst`): the service
   * must see them first.
   */
  mayVerifyNow(digest: string, now: number): boolean {
    const meter = this.meters.get(digest);
    return !meter || roomForOneUpstream(meter, now);
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
      if (other.pending > 0) this.settler.flush(other);
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
    if (!othersStandInTheWay(meter, now)) return undefined;
    return new Promise((resolve) => setTimeout(resolve, refreshMs));
  }

  /** Numbers a per-request verification about to be sent and counts its one unit on the key's budgets. */
  open(digest: string): MeteredCall {
    const meter = this.meters.get(digest);
    if (!meter) return { seq: this.settler.nextSeq(), digest, units: 1, budgets: [] };
    const budgets = meter.budgets();
    for (const budget of budgets) budget.inFlight += 1;
    meter.openCalls += 1;
    const releasedAtSend = this.settler.releasedNow(budgets);
    return { seq: this.settler.nextSeq(), digest, units: 1, budgets, releasedAtSend, meter };
  }

  /**
   * The outcome of a call: its spend leaves the in-flight counts, the answer refreshes the estimates, and, when
   * `current` (nothing was invalidated since it was sent) and it is the newest, decides whether the key is admitted.
   */
  answered(call: MeteredCall, outcome: ProviderAnswer | ProviderError, current: boolean, now: number): void {
    for (const budget of call.budgets) budget.inFlight -= call.units;
    if (call.meter) call.meter.openCalls -= 1;
    if (call.settlement) this.settler.settlingUnits -= call.units;
    if (outcome instanceof ProviderError) {
      if (call.settlement) this.settler.failed(call, this.meters.get(call.digest), call.settlement.key, outcome);
    } else {
      if (call.settlement && !call.settlement.topUp) {
        this.counts.settlements += 1;
        if (outcome.valid) this.counts.settled += call.units;
        else this.counts.refused += call.units;
      }
      this.known.learn(call, outcome, current, now);
      if (call.settlement && !call.settlement.namedLimits && outcome.valid)
        this.settler.topUp(this.meters.get(call.digest), call.settlement.key, call.units - 1);
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
    this.settler.closing = true;
    for (let round = 0; ; round++) {
      const waits: Promise<unknown>[] = [];
      for (const meter of this.meters.values()) {
        if (meter.pending > 0 && round < 2) this.settler.flush(meter);
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
    return { ...this.counts, unsettled: pending + this.settler.settlingUnits };
  }

  /**
   * Whether admitting one more request from memory is possible once the settlements under way are answered: true when
   * the only thing in the way is the cap on unconfirmed admissions (waiting is then better than a call per request).
   */
  waitingHelps(digest: string, now: number): boolean {
    const meter = this.meters.get(digest);
    return meter?.answer !== undefined && this.blocker(meter, now) === 'unsettled';
  }

  private blocker(meter: KeyMeter, now: number): AdmissionBlocker {
    return admissionBlocker(meter, now, this.settings, this.settler.closing);
  }
}
