import { Budget } from '../verifier/metering/budget.js';

/**
 * What batched admission knows of one rule for one identifier: a metering `Budget` (the last answer's `remaining`
 * minus admissions not settled yet, and answers ordered by the call that asked), plus what the settling needs.
 */
export class Slot {
  readonly budget: Budget;
  /** An answer came for this rule and identifier: its window and remaining are known. */
  known = false;
  /**
   * Bumped each time the pending admissions are handed to a call: an admission reserved before the bump is on its way
   * to the backend, so a request denied meanwhile can no longer take its reservation back.
   */
  generation = 0;
  /** Calls of this slot that got no answer, and the last one's error: requests waiting on a call share its failure. */
  failures = 0;
  lastError: unknown;
  /** Backend calls under way (requests at the edge and settlements). */
  openCalls = 0;
  /** The next settlement is due (`maxDelayMs` after the oldest pending admission). */
  timer: ReturnType<typeof setTimeout> | undefined;
  /** Settles when the scheduled settlement has been answered: what a request's `waitUntil` keeps alive. */
  scheduled: Promise<void> | undefined;
  private endScheduled: (() => void) | undefined;
  private quietWaiters: (() => void)[] = [];

  constructor(name: string) {
    this.budget = new Budget(name, name);
  }

  callStarted(): void {
    this.openCalls += 1;
  }

  callEnded(): void {
    this.openCalls -= 1;
    if (this.openCalls > 0) return;
    const waiters = this.quietWaiters;
    this.quietWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Resolves once no call is under way (at once when none is). */
  whenQuiet(): Promise<void> {
    if (this.openCalls === 0) return Promise.resolve();
    return new Promise((resolve) => this.quietWaiters.push(resolve));
  }

  /** Schedules `settle` after `delayMs`, unless one is scheduled already. */
  schedule(delayMs: number, settle: () => Promise<void>): void {
    if (this.timer) return;
    this.scheduled = new Promise((resolve) => (this.endScheduled = resolve));
    this.timer = setTimeout(() => void settle(), delayMs);
    (this.timer as { unref?: () => void }).unref?.();
  }

  /** The scheduled settlement is starting now (or is no longer needed): returns what to call once it is answered. */
  unschedule(): () => void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const end = this.endScheduled ?? (() => {});
    this.endScheduled = undefined;
    this.scheduled = undefined;
    return end;
  }
}
