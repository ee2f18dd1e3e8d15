import { array, boolean, integer, nullable, object, oneOf, optional, required } from './schema.js';
import { ratelimitName } from './rules.js';
import type { ValidationIssue } from './issues.js';

/** `credits` of createKey/updateKey: `{remaining: int|null, refill?: {interval, amount, refillDay?} | null}`. */
export const creditsField = () =>
  object({
    remaining: required(nullable(integer({ min: 0, max: 1e12 }))),
    refill: optional(
      nullable(
        object({
          interval: required(oneOf(['daily', 'monthly'] as const)),
          amount: required(integer({ min: 1, max: 1e12 })),
          refillDay: optional(integer({ min: 1, max: 31 })),
        }),
      ),
    ),
  });

/** A limit stored on a key: `{name, limit, duration ≥ 1000 ms, autoApply?}`. */
export const storedRatelimitField = () =>
  object({
    name: required(ratelimitName()),
    limit: required(integer({ min: 1, max: 1e12 })),
    duration: required(integer({ min: 1000, max: 2_592_000_000 })),
    autoApply: optional(boolean()),
  });

export const storedRatelimitsField = () => array(storedRatelimitField(), { max: 100 });

type Credits = { remaining: number | null; refill?: { interval: 'daily' | 'monthly'; amount: number; refillDay?: number } | null };

/** Rules across fields of `credits`, added to `issues`. */
export function checkCredits(credits: Credits | null | undefined, location: string, issues: ValidationIssue[]): void {
  if (!credits?.refill) return;
  if (credits.remaining === null) {
    issues.push({ location: `${location}.refill`, message: 'needs credits.remaining to be a number', fix: 'set credits.remaining or drop refill' });
  }
  if (credits.refill.interval === 'daily' && credits.refill.refillDay !== undefined) {
    issues.push({ location: `${location}.refill.refillDay`, message: 'is only allowed with interval "monthly"', fix: 'remove refillDay' });
  }
}

/** Limit names must be unique on one key. */
export function checkRatelimitNames(limits: readonly { name: string }[] | null | undefined, location: string, issues: ValidationIssue[]): void {
  const seen = new Set<string>();
  limits?.forEach((limit, index) => {
    if (seen.has(limit.name)) issues.push({ location: `${location}[${index}].name`, message: `duplicate rate limit name "${limit.name}"` });
    seen.add(limit.name);
  });
}
