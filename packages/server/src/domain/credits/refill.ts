import type { Refill } from '../../store/types.js';

const DAY_MS = 86_400_000;

const daysInMonth = (year: number, month: number) => new Date(Date.UTC(year, month + 1, 0)).getUTCDate();

/** The refill moment of the month (UTC midnight of refillDay, or the month's last day when shorter). */
function monthlyMoment(year: number, month: number, refillDay: number): number {
  return Date.UTC(year, month, Math.min(refillDay, daysInMonth(year, month)));
}

/** The latest scheduled refill moment at or before `now` (UTC). */
export function lastRefillMoment(refill: Refill, now: number): number {
  if (refill.interval === 'daily') return Math.floor(now / DAY_MS) * DAY_MS;
  const date = new Date(now);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const day = refill.refillDay ?? 1;
  const thisMonth = monthlyMoment(year, month, day);
  return thisMonth <= now ? thisMonth : monthlyMoment(month === 0 ? year - 1 : year, month === 0 ? 11 : month - 1, day);
}

/** Whether a key last refilled (or created) at `lastRefillAt` is due a refill at `now`. */
export function refillDue(refill: Refill, lastRefillAt: number | null, now: number): boolean {
  return lastRefillAt === null || lastRefillAt < lastRefillMoment(refill, now);
}
