import type { FleetMetering, SharedUnconfirmed } from '@keyguard/core/service';
import type { RedisLink } from '../connection/link.js';
import type { Layout } from '../keys/layout.js';
import { SHARE_UNCONFIRMED } from '../keys/scripts.js';
import { MAX_SHARED_COUNT, readCounts } from './counts.js';

/** How long a member's count stays in Redis unless written again: the count of an instance that died fades after it. */
export const UNCONFIRMED_FADE_MS = 2_000;
/**
 * A member holding a count writes it again at least this often, so it does not fade while held; a member that read the
 * others' counts lately (see `WATCHED_MS`) reads them again this often.
 */
const KEEPALIVE_MS = UNCONFIRMED_FADE_MS / 4;
/**
 * How long a view that holds no count of this member's stays after it was last read. Dropped at once, the next read
 * would start from nothing (the others reading as zero until a round trip answers), which is what a member that only
 * reads (its own admissions all confirmed, or none from memory) would see on every read that follows a quiet moment.
 */
const WATCHED_MS = UNCONFIRMED_FADE_MS;

/** Counted for the whole fleet object (all its members). */
export interface SharedMeteringCounts {
  trips: number;
  withoutRedis: number;
  /** Fields of the shared hashes that held no count a member writes (see `readCounts`): ignored, and dropped. */
  garbage: number;
}

/** One budget in one window, as this member shares it. */
class BudgetView {
  /** This member's count as last told, and as last written to Redis. */
  own = 0;
  written = 0;
  /** The others' counts as last read, by member. */
  others = new Map<string, number>();
  /** What `others()` hands out (one object per view: nothing is allocated on the hot path). */
  readonly seen: SharedUnconfirmed;
  /** `others()` was called since the last round trip began: the view is in use and is kept fresh. */
  asked = false;
  /** When `others()` was first called after the last round trip began. */
  lastAskedAt = Number.NEGATIVE_INFINITY;
  lastTripAt = Number.NEGATIVE_INFINITY;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** When `timer` fires. */
  dueAt = Number.POSITIVE_INFINITY;
  trip: Promise<void> | undefined;

  constructor(
    readonly budgetId: string,
    readonly window: number,
    released: number,
  ) {
    this.name = `${budgetId}:${Number.isFinite(window) ? window : 'inf'}`;
    this.seen = { unconfirmed: 0, released };
  }

  /** The budget in its window, as named in Redis: key and limit ids and a time, never a key. */
  readonly name: string;
}

const NOTHING_SEEN: SharedUnconfirmed = Object.freeze({ unconfirmed: 0, released: 0 });

/**
 * One member's side of batched metering shared on Redis. Calls from the verifier only record numbers; a round trip
 * per budget (one script: write this member's count, read the others') runs in the background, at most every
 * `refreshMs` while the count changes or the view is read, and every `KEEPALIVE_MS` while a count is held. When Redis
 * is away the others read as zero: each instance meters on its own counts, as without a fleet.
 */
export class SharedMetering implements FleetMetering {
  /**
   * By budget id: the view of its current window. (A budget is in one window at a time; a view of a window it left is
   * written once more, with 0, and dropped.) Looked up on every admission, so by the id as given, with nothing built.
   */
  private readonly views = new Map<string, BudgetView>();
  /**
   * Every decrease seen in any view so far. A view starts its `released` here, so a budget's `released` never goes
   * back when its view is dropped and made again (a budget may hold an older total from before).
   */
  private releasedTotal = 0;
  private closed = false;

  constructor(
    private readonly link: RedisLink,
    private readonly layout: Layout,
    private readonly member: string,
    private readonly refreshMs: number,
    private readonly counts: SharedMeteringCounts,
  ) {}

  share(budgetId: string, window: number, unconfirmed: number): void {
    let view = this.views.get(budgetId);
    if (view?.window !== window) {
      // Nothing to tell about a window this instance holds nothing of.
      if (this.closed || unconfirmed === 0) return;
      view = this.open(budgetId, window);
    }
    view.own = unconfirmed;
    this.schedule(view);
  }

  others(budgetId: string, window: number): SharedUnconfirmed {
    if (this.closed) return NOTHING_SEEN;
    let view = this.views.get(budgetId);
    if (view?.window !== window) view = this.open(budgetId, window);
    if (!view.asked) {
      view.asked = true;
      view.lastAskedAt = Date.now();
      this.schedule(view);
    }
    return view.seen;
  }

  /** Writes every count now and reads the others' (a fleet's `flush()`, and before leaving). */
  async flush(): Promise<void> {
    await Promise.all(
      [...this.views.values()].map(async (view) => {
        while (view.trip) await view.trip;
        if (view.timer) clearTimeout(view.timer);
        view.timer = undefined;
        await this.start(view);
      }),
    );
  }

  /** Writes the last counts (zero once everything is settled) and stops. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    for (const view of this.views.values()) if (view.timer) clearTimeout(view.timer);
    this.views.clear();
  }

  /** Budgets shared now, and the others' unconfirmed admissions summed over them. */
  view(): { budgets: number; othersUnconfirmed: number } {
    let othersUnconfirmed = 0;
    for (const view of this.views.values()) othersUnconfirmed += view.seen.unconfirmed;
    return { budgets: this.views.size, othersUnconfirmed };
  }

  private open(budgetId: string, window: number): BudgetView {
    const replaced = this.views.get(budgetId);
    const view = new BudgetView(budgetId, window, this.releasedTotal);
    this.views.set(budgetId, view);
    if (replaced) {
      if (replaced.timer) clearTimeout(replaced.timer);
      replaced.timer = undefined;
      // The window it left: its count goes to 0 in Redis once (else it fades), and the view is gone.
      if (replaced.written > 0 && !replaced.trip) {
        replaced.own = 0;
        void this.start(replaced);
      }
    }
    return view;
  }

  /**
   * The next round trip: soon while the count changed or the view is read, later while a count is held or the view was
   * read lately, else none (the view goes). A timer already set for later is set again for sooner: a view that turns
   * busy while it waits for a keep-alive must not wait for it.
   */
  private schedule(view: BudgetView): void {
    if (this.closed || view.trip || this.views.get(view.budgetId) !== view) return;
    const busy = view.own !== view.written || view.asked;
    const due = view.lastTripAt + (busy ? this.refreshMs : KEEPALIVE_MS);
    if (view.timer) {
      // Called on every admission: while a timer is due no later, nothing more (not even the clock) is looked at.
      if (due >= view.dueAt) return;
      clearTimeout(view.timer);
      view.timer = undefined;
    }
    const now = Date.now();
    if (!busy && view.written === 0 && now - view.lastAskedAt >= WATCHED_MS) {
      this.views.delete(view.budgetId);
      return;
    }
    view.dueAt = due;
    view.timer = setTimeout(
      () => {
        view.timer = undefined;
        view.dueAt = Number.POSITIVE_INFINITY;
        void this.start(view);
      },
      Math.max(0, due - now),
    );
    (view.timer as { unref?: () => void }).unref?.();
  }

  private start(view: BudgetView): Promise<void> {
    const trip = this.roundTrip(view).finally(() => {
      view.trip = undefined;
      this.schedule(view);
    });
    view.trip = trip;
    return trip;
  }

  private async roundTrip(view: BudgetView): Promise<void> {
    view.asked = false;
    view.lastTripAt = Date.now();
    const own = view.own;
    const result = await this.link.attempt((client) =>
      SHARE_UNCONFIRMED.run(client, this.layout.anchor, [
        this.layout.root,
        view.name,
        this.member,
        // Past MAX_SHARED_COUNT the others would take it for garbage; no member holds that many unconfirmed.
        Math.min(own, MAX_SHARED_COUNT),
        UNCONFIRMED_FADE_MS,
      ]),
    );
    if (!result) {
      // Without Redis, only this instance's own counts: what it would do without a fleet.
      this.counts.withoutRedis += 1;
      view.others.clear();
      view.seen.unconfirmed = 0;
      return;
    }
    this.counts.trips += 1;
    view.written = own;
    this.read(view, result.value);
  }

  /**
   * Takes the others' counts, adding what went down (or away) since the last read to `released`. Every count is a
   * whole number from 0 to MAX_SHARED_COUNT (`readCounts`), so `released` only grows, by finite steps.
   */
  private read(view: BudgetView, reply: unknown): void {
    const { byMember: next, unconfirmed, garbage } = readCounts(reply);
    this.counts.garbage += garbage;
    let released = 0;
    for (const [member, units] of view.others) released += Math.max(0, units - (next.get(member) ?? 0));
    view.others = next;
    view.seen.unconfirmed = unconfirmed;
    view.seen.released += released;
    this.releasedTotal += released;
  }
}
