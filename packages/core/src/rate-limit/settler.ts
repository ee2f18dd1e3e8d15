import type { BackendPort } from './backend-port.js';
import type { ResolvedRule } from './options.js';
import type { Slot } from './slot.js';
import type { RateLimitAnswer } from './types.js';

/**
 * Admissions still pending when their window has ended are not sent: that window's count is over, and charging them
 * to the next window would deny requests it has room for. (They were admitted within the ended window's limit.)
 */
function dropEnded(slot: Slot): void {
  if (!slot.known || slot.budget.pending === 0 || Date.now() < slot.budget.reset) return;
  slot.budget.pending = 0;
  slot.generation += 1;
}

/**
 * Sends admissions to the backend and takes in its answers. Every call is numbered when sent, so an answer can be
 * told from an older one (`Budget.observe`); units sent are `inFlight` until answered, so estimates err low.
 */
export class Settler {
  private seq = 0;
  closing = false;
  /** Calls under way; `close()` waits for them. */
  readonly open = new Set<Promise<unknown>>();

  constructor(
    private readonly port: BackendPort,
    private readonly maxDelayMs: number,
  ) {}

  /**
   * One call for `cost` units of `slot`, the admissions pending there included: their settlement rides along. The
   * answer updates the budget; a call without an answer puts those admissions back to be settled later.
   */
  spend(slot: Slot, rule: ResolvedRule, identifier: string, cost: number): Promise<RateLimitAnswer> {
    dropEnded(slot);
    const pending = slot.budget.pending;
    const units = pending + cost;
    const endScheduled = slot.unschedule();
    slot.budget.pending = 0;
    slot.generation += 1;
    slot.budget.inFlight += units;
    slot.callStarted();
    const seq = ++this.seq;
    const call = this.port.ask(rule, identifier, units).then(
      (answer) => {
        slot.budget.inFlight -= units;
        slot.budget.observe(answer.remaining, seq, {
          limit: answer.limit,
          duration: rule.duration,
          reset: answer.reset,
        });
        slot.known = true;
        // Not spent, as a whole: the admissions made earlier still have to be counted, on their own. A settlement
        // alone that does not fit means other instances used the window up first: those admissions stay uncounted
        // (the fleet's overshoot the README bounds).
        if (!answer.success && pending > 0 && cost > 0) {
          slot.budget.pending += pending;
          void this.settle(slot, rule, identifier);
        }
        return answer;
      },
      (error: unknown) => {
        slot.failures += 1;
        slot.lastError = error;
        slot.budget.inFlight -= units;
        slot.budget.pending += pending;
        this.schedule(slot, rule, identifier);
        throw error;
      },
    );
    return this.track(
      call.finally(() => {
        slot.callEnded();
        endScheduled();
      }),
    );
  }

  /** Settles what is pending on `slot` now, as one call of `cost = n`. */
  settle(slot: Slot, rule: ResolvedRule, identifier: string): Promise<void> {
    dropEnded(slot);
    if (slot.budget.pending === 0) {
      slot.unschedule()();
      return Promise.resolve();
    }
    return this.spend(slot, rule, identifier, 0).then(
      () => undefined,
      () => undefined,
    );
  }

  /** Settles `slot`'s pending admissions `maxDelayMs` after the oldest of them (nothing is scheduled once closing). */
  schedule(slot: Slot, rule: ResolvedRule, identifier: string): void {
    if (this.closing || slot.budget.pending === 0) return;
    slot.schedule(this.maxDelayMs, () => this.settle(slot, rule, identifier));
  }

  private track<T>(call: Promise<T>): Promise<T> {
    this.open.add(call);
    const forget = (): void => void this.open.delete(call);
    call.then(forget, forget);
    return call;
  }
}
