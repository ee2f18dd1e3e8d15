import type { UnkeyListResponse, UnkeyPagination } from '@keyguard/unkey';
import { integerOption } from './parse.js';

export interface PageOptions {
  limit?: string;
  cursor?: string;
  all?: boolean;
}

/** `limit` and `cursor` of a list request, from `--limit` and `--cursor`. */
export const pageRequest = (options: PageOptions): { limit?: number; cursor?: string } => ({
  ...(options.limit !== undefined ? { limit: integerOption('--limit', options.limit, 1) } : {}),
  ...(options.cursor !== undefined ? { cursor: options.cursor } : {}),
});

/** One page, or every page with `--all`: the items and where the next page starts. */
export async function collect<T>(
  options: PageOptions,
  one: () => Promise<UnkeyListResponse<T>>,
  every: () => AsyncGenerator<UnkeyListResponse<T>, void, undefined>,
): Promise<{ items: T[]; pagination: UnkeyPagination | undefined }> {
  if (!options.all) {
    const page = await one();
    return { items: page.data, pagination: page.pagination };
  }
  const items: T[] = [];
  for await (const page of every()) items.push(...page.data);
  return { items, pagination: { hasMore: false } };
}

/** Lines of a listing, `empty` when there are none, and the cursor of the next page when there is one. */
export function listing(lines: string[], empty: string, pagination: UnkeyPagination | undefined): string {
  const shown = lines.length > 0 ? [...lines] : [empty];
  if (pagination?.hasMore && pagination.cursor) shown.push(`more: --cursor ${pagination.cursor}`);
  return shown.join('\n');
}
