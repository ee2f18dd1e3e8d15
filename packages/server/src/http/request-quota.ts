import { ApiError } from '../api-error.js';
import type { Store } from '../store/store.js';

/**
 * Counts one request against the workspace's request quota, if it has one, and answers 429 once it is spent, as
 * Unkey does when a workspace exceeds its API rate limit: with `Retry-After` and the draft-6 `RateLimit-*` headers
 * (seconds until the window ends).
 */
export function spendRequestQuota(store: Store, workspaceId: string, now: number): void {
  const quota = store.workspaces.requestQuota(workspaceId);
  if (!quota) return;
  // The window is spent in memory (store/write-behind.ts), synchronously and so atomically: no transaction needed.
  const outcome = store.windows.consume(`quota:${workspaceId}`, quota.limit, quota.duration, 1, now);
  if (outcome.success) return;
  const seconds = String(Math.max(1, Math.ceil((outcome.reset - now) / 1000)));
  throw new ApiError(
    429,
    'WORKSPACE_RATE_LIMITED',
    `This workspace exceeded its quota of ${quota.limit} requests per ${quota.duration} ms; retry in ${seconds} s.`,
    {
      headers: {
        'Retry-After': seconds,
        'RateLimit-Limit': String(quota.limit),
        'RateLimit-Remaining': '0',
        'RateLimit-Reset': seconds,
      },
    },
  );
}
