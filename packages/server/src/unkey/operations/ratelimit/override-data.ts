import type { RatelimitOverrideData } from '@keyguard/unkey';
import type { RatelimitOverrideRecord } from '../../../store/repositories/ratelimit-overrides.js';

export const overrideData = (override: RatelimitOverrideRecord): RatelimitOverrideData => ({
  overrideId: override.id,
  duration: override.duration,
  identifier: override.identifier,
  limit: override.limit,
});
