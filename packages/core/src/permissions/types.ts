/**
 * A parsed permission query. `and`/`or` groups hold two or more operands when produced by the parser;
 * `a AND b AND c` is one group of three, while parentheses always keep their own group.
 */
export type PermissionQuery =
  { type: 'permission'; name: string } | { type: 'and' | 'or'; operands: PermissionQuery[] };
