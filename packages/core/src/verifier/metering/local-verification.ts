import type { RateLimitState, Verification, VerifiedKey } from '../../types.js';
import type { Budget, KeyMeter, ValidAnswer } from './budget.js';

function limitState(budget: Budget): RateLimitState {
  const state: RateLimitState = {
    name: budget.name,
    limit: budget.limit ?? 0,
    remaining: Math.max(0, budget.estimate()),
    reset: budget.reset,
    exceeded: false,
    duration: budget.duration,
  };
  if (budget.providerId !== undefined) state.id = budget.providerId;
  return state;
}

/**
 * The answer to a request admitted from memory: the key as its latest upstream answer described it, with credits and
 * rate limits as this instance now estimates them (after this admission), so rate-limit headers stay right.
 */
export function localVerification(meter: KeyMeter, answer: ValidAnswer): Verification {
  const ratelimits = meter.limits.length > 0 ? meter.limits.map(limitState) : undefined;
  const key: VerifiedKey = { ...answer.key, ratelimits };
  if (meter.credits) key.credits = Math.max(0, meter.credits.estimate());
  const verification: Verification = { valid: true, code: 'VALID', source: 'cache', key };
  if (ratelimits) verification.ratelimits = ratelimits;
  return verification;
}
