import { preconditionFailed } from '../../api-error.js';
import type { Store } from '../../store/store.js';
import type { KeyRecord, RatelimitDefinition } from '../../store/types.js';
import type { CheckedRatelimit, VerifyRequest } from '../keys/verification.js';

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

/** A key's limits and its identity's, by name (the key's own win), with the bucket their tokens live in. */
export type LimitsByName = ReadonlyMap<string, { limit: RatelimitDefinition; bucket: string }>;

/** Every limit a verification of `key` may check: its identity's, then its own over them. */
export function limitsByName(store: Store, key: KeyRecord): LimitsByName {
  const byName = new Map<string, { limit: RatelimitDefinition; bucket: string }>();
  if (key.identityId) {
    for (const limit of store.ratelimits.forIdentity(key.identityId))
      byName.set(limit.name, { limit, bucket: `identity:${key.identityId}:${limit.name}` });
  }
  for (const limit of store.ratelimits.forKey(key.id))
    byName.set(limit.name, { limit, bucket: `key:${key.id}:${limit.name}` });
  return byName;
}

/** What a request naming no limit checks: every auto-applied limit, at cost 1. */
export function autoAppliedChecks(limits: LimitsByName): PlannedCheck[] {
  const checks: PlannedCheck[] = [];
  for (const { limit, bucket } of limits.values()) {
    if (limit.autoApply)
      checks.push({
        id: limit.id,
        name: limit.name,
        limit: limit.limit,
        duration: limit.duration,
        autoApply: true,
        cost: 1,
        bucket,
      });
  }
  return checks;
}

/**
 * The limits a verification checks, one per name: every auto-applied one (cost 1) and every requested one (by name on
 * the key, then on its identity; with `limit` and `duration` an unknown name is a one-off limit with id ""). Naming a
 * limit replaces its automatic check rather than adding to it, and a name requested twice counts once (the last), as
 * Unkey keys its checks by name (`internal/services/keys/validation.go`, `withRateLimits`). An unknown name without
 * `limit`+`duration` is a 412.
 */
export function planRatelimits(
  keyId: string,
  limits: LimitsByName,
  autoChecks: readonly PlannedCheck[],
  requested: VerifyRequest['ratelimits'] = [],
): readonly PlannedCheck[] {
  if (requested.length === 0) return autoChecks;
  const checks = new Map<string, PlannedCheck>(autoChecks.map((check) => [check.name, check]));
  for (const request of requested) {
    const stored = limits.get(request.name);
    const override = request.limit !== undefined && request.duration !== undefined;
    checks.delete(request.name);
    if (stored) {
      checks.set(request.name, {
        id: stored.limit.id,
        name: stored.limit.name,
        limit: override ? (request.limit as number) : stored.limit.limit,
        duration: override ? (request.duration as number) : stored.limit.duration,
        autoApply: stored.limit.autoApply,
        cost: request.cost ?? 1,
        bucket: stored.bucket,
      });
    } else if (override) {
      checks.set(request.name, {
        id: '',
        name: request.name,
        limit: request.limit as number,
        duration: request.duration as number,
        autoApply: false,
        cost: request.cost ?? 1,
        bucket: `key:${keyId}:${request.name}`,
      });
    } else {
      throw preconditionFailed(
        'RATELIMIT_NOT_FOUND',
        `The rate limit "${request.name}" is not defined on this key or its identity; define it, or send limit and duration for a one-off limit.`,
      );
    }
  }
  return [...checks.values()];
}

/**
 * Checks every limit, then spends all of them or none: when one is exceeded, no limit spends anything (as Unkey's
 * `RatelimitMany`, `internal/services/ratelimit/ratelimit.go`). An exceeded limit answers remaining 0; one that had
 * room while another did not answers what it still has.
 */
export function applyRatelimits(store: Store, checks: readonly PlannedCheck[], now: number): CheckedRatelimit[] {
  const windows = checks.map((check) => store.windows.current(check.bucket, check.duration, now));
  const fits = checks.map((check, index) => windows[index]!.used + check.cost <= check.limit);
  const allFit = fits.every(Boolean);
  return checks.map((check, index) => {
    const window = windows[index]!;
    if (allFit) {
      window.used += check.cost;
      store.windows.record(check.bucket, check.duration, window, now);
    }
    return {
      id: check.id,
      name: check.name,
      limit: check.limit,
      duration: check.duration,
      reset: window.windowStart + check.duration,
      remaining: fits[index] ? Math.max(0, check.limit - window.used) : 0,
      exceeded: !fits[index],
      autoApply: check.autoApply,
    };
  });
}
