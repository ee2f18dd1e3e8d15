import { parsePermissionQuery } from './parse.js';
import type { PermissionQuery } from './types.js';

type Has = (name: string) => boolean;

function evaluateWith(query: PermissionQuery, has: Has): boolean {
  switch (query.type) {
    case 'permission':
      return has(query.name);
    case 'and':
      for (const operand of query.operands) if (!evaluateWith(operand, has)) return false;
      return true;
    case 'or':
      for (const operand of query.operands) if (evaluateWith(operand, has)) return true;
      return false;
  }
}

/**
 * Whether `permissions` satisfy the query. Matching is an exact string match: `*` is a literal character, not a
 * wildcard (as in Unkey). An empty `and` group is true and an empty `or` group false (the usual identities).
 */
export function evaluatePermissionQuery(
  query: PermissionQuery,
  permissions: ReadonlySet<string> | readonly string[],
): boolean {
  const has: Has =
    typeof (permissions as ReadonlySet<string>).has === 'function'
      ? (name) => (permissions as ReadonlySet<string>).has(name)
      : (name) => (permissions as readonly string[]).includes(name);
  return evaluateWith(query, has);
}

/**
 * One-off check. A string query is parsed on every call (throwing `PermissionQuerySyntaxError`); code that checks
 * the same query per request should parse it once, as `createPermissionCheck` does.
 */
export function matchesPermissions(query: string | PermissionQuery, permissions: readonly string[]): boolean {
  return evaluatePermissionQuery(typeof query === 'string' ? parsePermissionQuery(query) : query, permissions);
}
