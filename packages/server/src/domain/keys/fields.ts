import { array, boolean, integer, nullable, object, oneOf, optional, required } from '../../validation/schema.js';
import { creditCount, ratelimitDuration, ratelimitName } from '../../validation/rules.js';
import type { Refill } from '../../store/types.js';
import type { ValidationIssue } from '../../validation/issues.js';

const remainingField = () => nullable(creditCount());
const refillField = () =>
  nullable(
    object({
      interval: required(oneOf(['daily', 'monthly'] as const)),
      amount: required(creditCount(1)),
      refillDay: optional(integer({ min: 1, max: 31 })),
    }),
  );

/** `credits` of createKey: `{remaining: int|null, refill?: {interval, amount, refillDay?} | null}` (Unkey's KeyCreditsData). */
export const creditsField = () => object({ remaining: required(remainingField()), refill: optional(refillField()) });

/**
 * `credits` of updateKey: every field optional (Unkey's UpdateCredits schema), so an absent `remaining` stays as it
 * is, e.g. when only the refill changes.
 */
export const creditsUpdateField = () =>
  object({ remaining: optional(remainingField()), refill: optional(refillField()) });

/** A limit stored on a key: `{name, limit, duration ≥ 1000 ms, autoApply?}`. */
export const storedRatelimitField = () =>
  object({
    name: required(ratelimitName()),
    limit: required(creditCount(1)),
    duration: required(ratelimitDuration()),
    autoApply: optional(boolean()),
  });

export const storedRatelimitsField = () => array(storedRatelimitField(), { max: 100 });

type RefillInput = { interval: 'daily' | 'monthly'; amount: number; refillDay?: number };
type Credits = { remaining?: number | null; refill?: RefillInput | null };

/** A refill as stored: no refillDay is null (monthly refills then use the 1st). */
export const toRefill = (refill: RefillInput): Refill => ({
  interval: refill.interval,
  amount: refill.amount,
  refillDay: refill.refillDay ?? null,
});

/** Limits as stored: `autoApply` defaults to false. */
export const toStoredRatelimits = (
  limits: readonly { name: string; limit: number; duration: number; autoApply?: boolean }[],
) => limits.map((limit) => ({ ...limit, autoApply: limit.autoApply ?? false }));

/** Rules across fields of `credits`, added to `issues`. */
export function checkCredits(credits: Credits | null | undefined, location: string, issues: ValidationIssue[]): void {
  if (!credits?.refill) return;
  if (credits.remaining === null) {
    issues.push({
      location: `${location}.refill`,
      message: 'needs credits.remaining to be a number',
      fix: 'set credits.remaining or drop refill',
    });
  }
  if (credits.refill.interval === 'daily' && credits.refill.refillDay !== undefined) {
    issues.push({
      location: `${location}.refill.refillDay`,
      message: 'is only allowed with interval "monthly"',
      fix: 'remove refillDay',
    });
  }
}

/** Limit names must be unique on one key. */
export function checkRatelimitNames(
  limits: readonly { name: string }[] | null | undefined,
  location: string,
  issues: ValidationIssue[],
): void {
  const seen = new Set<string>();
  limits?.forEach((limit, index) => {
    if (seen.has(limit.name))
      issues.push({ location: `${location}[${index}].name`, message: `duplicate rate limit name "${limit.name}"` });
    seen.add(limit.name);
  });
}
