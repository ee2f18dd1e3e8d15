/**
 * A parsed permission query. `and`/`or` groups hold two or more operands when produced by the parser;
 * `a AND b AND c` is one group of three, while parentheses always keep their own group.
 */
export type PermissionQuery =
  { type: 'permission'; name: string } | { type: 'and' | 'or'; operands: PermissionQuery[] };

/** Longest query accepted, as in Unkey's `keys.verifyKey` `permissions` field. */
export const MAX_PERMISSION_QUERY_LENGTH = 1000;
