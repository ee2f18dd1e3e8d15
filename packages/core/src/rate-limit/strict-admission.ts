import type { RateLimitState } from '../types.js';
import type { BackendPort } from './backend-port.js';
import type { ResolvedRule } from './options.js';
import type { RateLimitAnswer } from './types.js';

/** A rule's state as an answer describes it; `exceeded` when the answer did not spend the request's cost. */
export function stateOf(rule: ResolvedRule, answer: RateLimitAnswer): RateLimitState {
  return {
    name: rule.name,
    limit: answer.limit,
    remaining: answer.remaining,
    reset: answer.reset,
    exceeded: !answer.success,
    duration: rule.duration,
  };
}

/**
 * Strict admission: every rule asked per request, all at once. Each rule's call spends on its own (as separate
 * `ratelimit.limit` calls do at Unkey), so a request one limit denies still counts against the others it fitted.
 */
export async function admitStrictly(
  port: BackendPort,
  rules: readonly ResolvedRule[],
  identifier: string,
  cost: number,
): Promise<RateLimitState[]> {
  const answers = await Promise.all(rules.map((rule) => port.ask(rule, identifier, cost)));
  return rules.map((rule, index) => stateOf(rule, answers[index]!));
}
