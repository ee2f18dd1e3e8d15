import { isDeepStrictEqual } from 'node:util';

type Fields = Record<string, unknown>;

/**
 * `before` and `after` reduced to the fields that differ, when both exist (an update); as they are otherwise (a
 * create has no `before`, a delete no `after`). An update that changed nothing keeps two empty objects.
 */
export function changedFields(
  before: Fields | undefined,
  after: Fields | undefined,
): { before: Fields | null; after: Fields | null } {
  if (!before || !after) return { before: before ?? null, after: after ?? null };
  const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
    (field) => !isDeepStrictEqual(before[field], after[field]),
  );
  return {
    before: Object.fromEntries(changed.map((field) => [field, before[field] ?? null])),
    after: Object.fromEntries(changed.map((field) => [field, after[field] ?? null])),
  };
}
