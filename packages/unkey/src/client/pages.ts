import type { Call } from '../connection.js';
import { UnkeyApiError } from '../errors.js';
import type { UnkeyListResponse } from '../wire.js';

/**
 * Every page of a cursor-paged list, from `request.cursor` (or the start) to the last page. A server that says
 * "more" without a new cursor (or with one seen before) is `UNKEY_BAD_RESPONSE` instead of an endless loop.
 */
export async function* allPages<R extends { cursor?: string }, T>(
  operation: string,
  request: R,
  page: (request: R) => Promise<UnkeyListResponse<T>>,
): AsyncGenerator<UnkeyListResponse<T>, void, undefined> {
  const seen = new Set<string>();
  let cursor = request.cursor;
  for (;;) {
    const response = await page({ ...request, cursor });
    yield response;
    if (!response.pagination?.hasMore) return;
    const next = response.pagination.cursor;
    if (next === undefined || next === cursor || seen.has(next)) {
      throw new UnkeyApiError('UNKEY_BAD_RESPONSE', {
        operation,
        status: 200,
        requestId: response.meta.requestId,
        title: 'Bad pagination',
        detail: 'hasMore is true but the cursor is missing or repeats an earlier one',
      });
    }
    seen.add(next);
    cursor = next;
  }
}

/** One page of a list operation, with its pagination (reads are retried). */
export function listOperation<R extends object, T>(
  call: Call,
  operation: string,
): (request: R) => Promise<UnkeyListResponse<T>> {
  return async (request) => {
    const { meta, data, pagination } = await call<T[]>(operation, request, 'repeatable');
    return pagination ? { meta, data, pagination } : { meta, data };
  };
}
