import type { Pagination } from './envelope.js';

/**
 * One page from rows fetched with `limit + 1` from the cursor (inclusive), as Unkey pages: when a row beyond the
 * page exists, its id is the next cursor.
 */
export function paginate<T>(
  rows: readonly T[],
  limit: number,
  idOf: (row: T) => string,
): { page: T[]; pagination: Pagination } {
  const next = rows[limit];
  return {
    page: rows.slice(0, limit),
    pagination: next === undefined ? { hasMore: false } : { cursor: idOf(next), hasMore: true },
  };
}
