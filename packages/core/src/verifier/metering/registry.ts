import type { ProviderAnswer, RateLimitState } from '../../types.js';
import { Budget, KeyMeter, type ValidAnswer } from './budget.js';
import { releasedAtSend, type MeteredCall, type MeteringHost } from './calls.js';

/** After these answers a key is not admitted again: what it has pending will never be recorded. */
const ENDING_CODES: ReadonlySet<string> = new Set(['NOT_FOUND', 'DISABLED', 'EXPIRED', 'FORBIDDEN']);

/**
 * What batched metering knows: each metered key's meter (by digest) and each budget (credits, rate limits), and what
 * every upstream answer teaches them. Bounded by `host.maxMeters`: idle keys are dropped past it.
 */
export class MeterRegistry {
  readonly meters = new Map<string, KeyMeter>();
  private readonly budgets = new Map<string, Budget>();

  constructor(
    private readonly host: MeteringHost,
    /** Batched metering's counts: admissions refused when a key ends are counted here. */
    private readonly counts: { refused: number },
  ) {}

  /** What an answer teaches: the estimates of the budgets it describes, and whether the key may be admitted. */
  learn(call: MeteredCall, answer: ProviderAnswer, current: boolean, now: number): void {
    let meter = this.meters.get(call.digest);
    const newest = (target: KeyMeter) => current && call.seq > target.stateSeq;
    if (answer.valid && answer.key && answer.metered) {
      meter ??= this.track(call.digest, answer.key.id, now);
      meter.keyId = answer.key.id;
      meter.nameLimits = true;
      const ratelimits = answer.ratelimits ?? answer.key.ratelimits ?? [];
      this.assign(
        meter,
        this.creditsBudget(answer.key.id, answer.key.credits, call),
        this.limitBudgets(answer.key.id, ratelimits, call),
      );
      if (newest(meter)) {
        meter.answer = answer as ValidAnswer;
        meter.stateSeq = call.seq;
        meter.admitUntil = Math.min(now + this.host.freshMs, answer.key.expires ?? Number.POSITIVE_INFINITY);
      }
      return;
    }
    if (!meter) return;
    if (answer.valid && answer.key) {
      // No longer metered upstream: it is cached like any key; what is pending is still reported.
      this.assign(meter, undefined, []);
    } else {
      if (answer.ratelimits) this.assign(meter, meter.credits, this.limitBudgets(meter.keyId, answer.ratelimits, call));
      if (answer.code === 'USAGE_EXCEEDED')
        meter.credits?.observe(0, call.seq, undefined, releasedAtSend(call, meter.credits));
    }
    if (!newest(meter)) return;
    meter.answer = undefined;
    meter.stateSeq = call.seq;
    if (ENDING_CODES.has(answer.code)) this.end(meter);
  }

  /**
   * The key was revoked, disabled or expired: what it has pending is refused. It stays tracked (without budgets) until
   * idle, so that an older answer arriving late cannot admit it again.
   */
  private end(meter: KeyMeter): void {
    if (meter.timer) clearTimeout(meter.timer);
    meter.timer = undefined;
    this.counts.refused += meter.pending;
    for (const budget of meter.budgets()) budget.pending -= meter.pending;
    meter.pending = 0;
    meter.key = undefined;
    this.assign(meter, undefined, []);
  }

  private creditsBudget(keyId: string, credits: number | undefined, call: MeteredCall): Budget | undefined {
    if (credits === undefined) return undefined;
    const budget = this.budget(`credits:${keyId}`, '');
    budget.observe(credits, call.seq, undefined, releasedAtSend(call, budget));
    return budget;
  }

  private limitBudgets(keyId: string, ratelimits: readonly RateLimitState[], call: MeteredCall): Budget[] {
    return ratelimits.map((state) => {
      // An identity's limit has one id for all its keys, so they share one budget.
      const budget = this.budget(state.id ? `limit:${state.id}` : `limit:${keyId}:${state.name}`, state.name, state.id);
      budget.name = state.name;
      budget.observe(
        state.exceeded ? 0 : state.remaining,
        call.seq,
        { limit: state.limit, duration: state.duration, reset: state.reset },
        releasedAtSend(call, budget),
      );
      return budget;
    });
  }

  private budget(id: string, name: string, providerId?: string): Budget {
    let budget = this.budgets.get(id);
    if (!budget) {
      budget = new Budget(id, name, providerId, this.host.shared);
      this.budgets.set(id, budget);
    }
    return budget;
  }

  /** Gives a key its budgets, moving what it has pending from the ones it leaves to the ones it joins. */
  private assign(meter: KeyMeter, credits: Budget | undefined, limits: Budget[]): void {
    const before = meter.budgets();
    meter.credits = credits;
    meter.limits = limits;
    const after = meter.budgets();
    for (const budget of before) {
      if (after.includes(budget)) continue;
      budget.pending -= meter.pending;
      budget.spenders.delete(meter);
      this.release(budget);
    }
    for (const budget of after) {
      if (before.includes(budget)) continue;
      budget.pending += meter.pending;
      budget.spenders.add(meter);
    }
  }

  release(budget: Budget): void {
    if (budget.idle && this.budgets.get(budget.id) === budget) this.budgets.delete(budget.id);
  }

  /**
   * Starts tracking a key. At `maxMeters`, idle keys are dropped (those no longer admitted first, then the oldest), down
   * to nine tenths, so that a flood of new keys does not sweep on every one.
   */
  private track(digest: string, keyId: string, now: number): KeyMeter {
    if (this.meters.size >= this.host.maxMeters) this.sweep(now, Math.floor(this.host.maxMeters * 0.9));
    const meter = new KeyMeter(digest, keyId);
    this.meters.set(digest, meter);
    return meter;
  }

  private sweep(now: number, target: number): void {
    const idle = [...this.meters.values()].filter((meter) => meter.quiet);
    for (const meter of idle) if (!meter.answer || now >= meter.admitUntil) this.drop(meter);
    for (const meter of idle) {
      if (this.meters.size <= target) break;
      if (this.meters.has(meter.digest)) this.drop(meter);
    }
  }

  private drop(meter: KeyMeter): void {
    if (meter.timer) clearTimeout(meter.timer);
    this.assign(meter, undefined, []);
    this.meters.delete(meter.digest);
  }
}
