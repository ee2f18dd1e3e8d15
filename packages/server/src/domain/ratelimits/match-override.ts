import type { Store } from '../../store/store.js';
import type { RatelimitOverrideRecord } from '../../store/repositories/ratelimit-overrides.js';

/**
 * Whether `identifier` matches `pattern`, where `*` stands for any run of characters (even none) and everything else
 * is literal, as in Unkey's wildcard rules (https://www.unkey.com/docs/ratelimiting/overrides).
 */
export function matchesWildcard(identifier: string, pattern: string): boolean {
  if (!pattern.includes('*')) return identifier === pattern;
  const source = pattern
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${source}$`, 's').test(identifier);
}

/** The override that applies to `identifier`: an exact one first, else the oldest matching wildcard pattern. */
export function matchOverride(
  store: Store,
  namespaceId: string,
  identifier: string,
): RatelimitOverrideRecord | undefined {
  return (
    store.ratelimitOverrides.find(namespaceId, identifier) ??
    store.ratelimitOverrides.wildcards(namespaceId).find((override) => matchesWildcard(identifier, override.identifier))
  );
}
