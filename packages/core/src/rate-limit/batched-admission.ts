import { LRUCache } from 'lru-cache';
import type { RateLimitState } from '../types.js';
import { DEFAULT_MAX_BATCH, DEFAULT_MAX_DELAY_MS } from '../verifier/metering/options.js';
import type { WaitUntil } from '../verifier/types.js';
import type { BackendPort } from './backend-port.js';
import type { ResolvedRule } from './options.js';
import { Settler } from './settler.js';
import { Slot } from './slot.js';

/**
 * How close to a limit a rule stops admitting from memory: a tenth of the limit, at most `DEFAULT_MAX_BATCH` (100)
 * as batched metering. Within it each request asks the backend (settling what is pending in the same call), and
 * pending admissions are settled as soon as they reach it, so in a fleet what one instance has admitted and not told
 * the backend yet stays below one margin.
 */
export function marginOf(rule: ResolvedRule, slot?: Slot): number {
  // The limit the backend applies (an override's, at Unkey) rather than the configured one.
  return Math.min(DEFAULT_MAX_BATCH, Math.ceil((slot?.budget.limit ?? rule.limit) / 10));
}

/** Most identifiers whose budgets are kept; the least recently seen are settled and dropped past it. */
export const MAX_TRACKED_IDENTIFIERS = 10_000;

/** Per rule: admit from memory, ask the backend, deny from memory, or wait for the calls under way to answer. */
type Route = 'local' | 'edge' | 'deny' | 'wait';

/**
 * Batched admission: per rule and identifier, the backend's last answer minus what was admitted here since. While a
 * request fits with `marginOf()` to spare, it is admitted from memory and settled later with `cost = n` (after
 * `maxDelayMs`, on reaching the margin, and at close); when it does not fit at all and no call is under way, it is
 * denied from memory; otherwise the backend is asked. The first request for an identifier (or after a window ends)
 * asks the backend; concurrent ones wait for that answer. On one instance exactly `limit` requests pass per window,
 * and once settled the backend's count equals the admissions.
 */
export class BatchedAdmission {
  private readonly slots: LRUCache<string, Slot[]>;
  private readonly settler: Settler;

  constructor(
    port: BackendPort,
    private readonly rules: readonly ResolvedRule[],
    maxDelayMs = DEFAULT_MAX_DELAY_MS,
  ) {
    this.settler = new Settler(port, maxDelayMs);
    this.slots = new LRUCache<string, Slot[]>({
      max: MAX_TRACKED_IDENTIFIERS,
      // An identifier dropped for newer ones still owes the backend its admissions.
      dispose: (slots, identifier) => {
        slots.forEach((slot, index) => void this.settler.settle(slot, this.rules[index]!, identifier));
      },
    });
  }

  /** Each rule's state after this request, from memory when it can; rejects with a `RateLimitBackendError`. */
  admit(identifier: string, cost: number, waitUntil?: WaitUntil): RateLimitState[] | Promise<RateLimitState[]> {
    const slots = this.slotsOf(identifier);
    const now = Date.now();
    const routes = slots.map((slot, index) => this.route(slot, this.rules[index]!, cost, now));
    if (routes.includes('deny')) return this.states(slots, routes);
    if (routes.includes('wait')) return this.afterWaiting(identifier, cost, slots, routes, waitUntil);
    if (routes.every((route) => route === 'local')) {
      slots.forEach((slot, index) => this.reserve(slot, this.rules[index]!, identifier, cost, waitUntil));
      return this.states(slots, routes);
    }
    return this.atTheEdge(identifier, slots, routes, cost, waitUntil);
  }

  /**
   * Decides again once the calls a request waited for are answered. When one of them failed and its rule still needs
   * the backend (no answer yet, or the window ended), the request shares that failure instead of queueing its own
   * call behind the others': in an outage, concurrent requests fail together after one timeout.
   */
  private async afterWaiting(
    identifier: string,
    cost: number,
    slots: Slot[],
    routes: Route[],
    waitUntil?: WaitUntil,
  ): Promise<RateLimitState[]> {
    const waiting = slots.filter((_, index) => routes[index] === 'wait');
    const failuresBefore = waiting.map((slot) => slot.failures);
    await Promise.all(waiting.map((slot) => slot.whenQuiet()));
    const now = Date.now();
    const failed = waiting.find(
      (slot, index) => slot.failures > failuresBefore[index]! && (!slot.known || now >= slot.budget.reset),
    );
    if (failed) throw failed.lastError;
    return this.admit(identifier, cost, waitUntil);
  }

  private route(slot: Slot, rule: ResolvedRule, cost: number, now: number): Route {
    if (this.settler.closing) return 'edge';
    const budget = slot.budget;
    if (!slot.known || now >= budget.reset) return slot.openCalls > 0 ? 'wait' : 'edge';
    const estimate = budget.estimate();
    const margin = marginOf(rule, slot);
    // While a call is under way, at most one margin more is admitted from memory: in a fleet the others' admissions
    // show only in answers, so what one instance admits between two answers is what the fleet can overshoot by.
    if (slot.openCalls > 0 && budget.pending + cost > margin) return 'wait';
    if (estimate - cost >= margin) return 'local';
    if (estimate >= cost) return 'edge';
    // Units in flight may be counted in the last answer already (the estimate then errs low): wait for them.
    return slot.openCalls > 0 ? 'wait' : 'deny';
  }

  private reserve(slot: Slot, rule: ResolvedRule, identifier: string, cost: number, waitUntil?: WaitUntil): void {
    slot.budget.pending += cost;
    this.afterReserve(slot, rule, identifier, waitUntil);
  }

  /** Some rule needs the backend: those ask (their pending admissions riding along), the others reserve meanwhile. */
  private async atTheEdge(
    identifier: string,
    slots: Slot[],
    routes: Route[],
    cost: number,
    waitUntil?: WaitUntil,
  ): Promise<RateLimitState[]> {
    const reserved = new Map<Slot, number>();
    for (const [index, slot] of slots.entries()) {
      if (routes[index] !== 'local') continue;
      slot.budget.pending += cost;
      reserved.set(slot, slot.generation);
    }
    const asked = slots.map((slot, index) =>
      routes[index] === 'edge'
        ? this.settler.spend(slot, this.rules[index]!, identifier, cost)
        : Promise.resolve(undefined),
    );
    const results = await Promise.allSettled(asked);
    const failure = results.find((result) => result.status === 'rejected');
    const exceeded = results.map((result) => result.status === 'fulfilled' && result.value?.success === false);
    if (failure || exceeded.includes(true)) {
      // A reservation not yet handed to a call is taken back; one already sent stays counted (errs towards limiting).
      for (const [slot, generation] of reserved) if (slot.generation === generation) slot.budget.pending -= cost;
      if (failure) throw (failure as PromiseRejectedResult).reason;
    }
    for (const [slot] of reserved) {
      const index = slots.indexOf(slot);
      if (!exceeded.includes(true)) this.afterReserve(slot, this.rules[index]!, identifier, waitUntil);
    }
    return this.states(
      slots,
      exceeded.map((denied) => (denied ? 'deny' : 'local')),
    );
  }

  /** Settles at once on reaching the margin, else schedules it; `waitUntil` keeps either alive past the response. */
  private afterReserve(slot: Slot, rule: ResolvedRule, identifier: string, waitUntil?: WaitUntil): void {
    let settling: Promise<void> | undefined;
    if (slot.budget.pending >= marginOf(rule, slot)) settling = this.settler.settle(slot, rule, identifier);
    else {
      this.settler.schedule(slot, rule, identifier);
      settling = slot.scheduled;
    }
    if (waitUntil && settling) waitUntil(settling);
  }

  private states(slots: Slot[], routes: Route[]): RateLimitState[] {
    return slots.map((slot, index) => {
      const rule = this.rules[index]!;
      const budget = slot.budget;
      return {
        name: rule.name,
        limit: budget.limit ?? rule.limit,
        remaining: Math.max(0, budget.estimate()),
        reset: budget.reset,
        exceeded: routes[index] === 'deny',
        duration: rule.duration,
      };
    });
  }

  private slotsOf(identifier: string): Slot[] {
    let slots = this.slots.get(identifier);
    if (!slots) {
      slots = this.rules.map((rule) => new Slot(rule.name));
      this.slots.set(identifier, slots);
    }
    return slots;
  }

  /** Admitted here, not yet sent to the backend. */
  pendingAdmissions(): number {
    let pending = 0;
    for (const slots of this.slots.values()) for (const slot of slots) pending += slot.budget.pending;
    return pending;
  }

  get identifiers(): number {
    return this.slots.size;
  }

  /** Settles every pending admission and waits for every call under way; nothing is admitted from memory after. */
  async close(): Promise<void> {
    this.settler.closing = true;
    for (const [identifier, slots] of this.slots.entries())
      slots.forEach((slot, index) => void this.settler.settle(slot, this.rules[index]!, identifier));
    while (this.settler.open.size > 0) await Promise.allSettled([...this.settler.open]);
  }
}
