import { preconditionFailed } from '../http/errors.js';
import type { Store } from '../store/store.js';
import type { KeyRecord, RatelimitDefinition } from '../store/types.js';
import type { CheckedRatelimit, VerifyRequest } from './types.js';

/** One limit a verification checks: where its tokens live and what it costs. */
export interface PlannedCheck {
  id: string;
  name: string;
  limit: number;
  duration: number;
  autoApply: boolean;
  cost: number;
  bucket: string;
}

/**
 * The limits a verification checks: every requested one (by name on the key, then on its identity; with `limit`
 * and `duration` an unknown name is a one-off limit with id "") and every auto-applied one not requested.
 * An unknown name without `limit`+`duration` is a 412.
 */
export function planRatelimits(store: Store, key: KeyRecord, requested: VerifyRequest['ratelimits'] = []): PlannedCheck[] {
  const own = store.ratelimits.forKey(key.id).map((limit) => ({ limit, bucket: `key:${key.id}:${limit.name}` }));
  const inherited = key.identityId
    ? store.ratelimits.forIdentity(key.identityId).map((limit) => ({ limit, bucket: `identity:${key.identityId}:${limit.name}` }))
    : [];
  const byName = new Map<string, { limit: RatelimitDefinition; bucket: string }>();
  for (const entry of [...inherited, ...own]) byName.set(entry.limit.name, entry);

  const checks: PlannedCheck[] = [];
  const named = new Set<string>();
  for (const request of requested) {
    named.add(request.name);
    const stored = byName.get(request.name);
    const override = request.limit !== undefined && request.duration !== undefined;
    if (stored) {
      checks.push({
        id: stored.limit.id,
        name: stored.limit.name,
        limit: override ? (request.limit as number) : stored.limit.limit,
        duration: override ? (request.duration as number) : stored.limit.duration,
        autoApply: stored.limit.autoApply,
        cost: request.cost ?? 1,
        bucket: stored.bucket,
      });
    } else if (override) {
      checks.push({
        id: '',
        name: request.name,
        limit: request.limit as number,
        duration: request.duration as number,
        autoApply: false,
        cost: request.cost ?? 1,
        bucket: `key:${key.id}:${request.name}`,
      });
    } else {
      throw preconditionFailed(
        'RATELIMIT_NOT_FOUND',
        `The rate limit "${request.name}" is not defined on this key or its identity; define it, or send limit and duration for a one-off limit.`,
      );
    }
  }
  for (const { limit, bucket } of byName.values()) {
    if (limit.autoApply && !named.has(limit.name)) {
      checks.push({ id: limit.id, name: limit.name, limit: limit.limit, duration: limit.duration, autoApply: true, cost: 1, bucket });
    }
  }
  return checks;
}

/** Spends the tokens of each check independently (a limit that has room spends even when another is exceeded). */
export function applyRatelimits(store: Store, checks: readonly PlannedCheck[], now: number): CheckedRatelimit[] {
  return checks.map((check) => {
    const outcome = store.windows.consume(check.bucket, check.limit, check.duration, check.cost, now);
    return {
      id: check.id,
      name: check.name,
      limit: check.limit,
      duration: check.duration,
      reset: outcome.reset,
      remaining: outcome.remaining,
      exceeded: !outcome.success,
      autoApply: check.autoApply,
    };
  });
}
