import type { Budget, KeyMeter } from './budget.js';
import type { BatchedMeteringSettings } from './options.js';

/**
 * What keeps one more admission from memory out: `edge` (no fresh answer, a window over, or no more than the margin
 * left), `unsettled` (as many unconfirmed admissions as `maxUnsettled`), or undefined when it can be admitted.
 */
export type AdmissionBlocker = 'edge' | 'unsettled' | undefined;

export function admissionBlocker(
  meter: KeyMeter,
  now: number,
  settings: BatchedMeteringSettings,
  closing: boolean,
): AdmissionBlocker {
  if (closing || now >= meter.admitUntil) return 'edge';
  if (!meter.credits && meter.limits.length === 0) return 'edge';
  // Runs on every admission: no array built for it.
  let blocked = meter.credits ? budgetBlocker(meter.credits, now, settings) : undefined;
  if (blocked === 'edge') return blocked;
  for (const limit of meter.limits) {
    const limitBlocker = budgetBlocker(limit, now, settings);
    if (limitBlocker === 'edge') return limitBlocker;
    blocked ??= limitBlocker;
  }
  return blocked;
}

function budgetBlocker(budget: Budget, now: number, settings: BatchedMeteringSettings): AdmissionBlocker {
  if (now >= budget.reset || budget.estimate() - 1 < settings.margin) return 'edge';
  return budget.unsettled() >= settings.maxUnsettled ? 'unsettled' : undefined;
}

/**
 * Whether every budget of the key keeps at least one unit beyond all its unconfirmed spends (or, past its window's
 * reset, has none): a per-request verification then takes no room that admissions already made need.
 */
export function roomForOneUpstream(meter: KeyMeter, now: number): boolean {
  return meter.budgets().every((budget) => (now >= budget.reset ? budget.unsettled() === 0 : budget.estimate() >= 1));
}

/** Whether what the other instances hold unconfirmed is what leaves one of the key's budgets no room for one more. */
export function othersStandInTheWay(meter: KeyMeter, now: number): boolean {
  return meter.budgets().some((budget) => now < budget.reset && budget.estimate() < 1 && budget.othersHold() > 0);
}
