import { ConfigurationError } from '../errors.js';
import type { PermissionQuery } from './types.js';

const PERMISSION_TOKEN = /^[A-Za-z0-9._\-:*/]+$/;
const OPERATOR_WORD = /^(?:and|or)$/i;

/** A one-operand group means its operand; unwrapping first keeps the parentheses decision right. */
function unwrap(query: PermissionQuery): PermissionQuery {
  let current = query;
  while (current.type !== 'permission' && current.operands.length === 1) current = current.operands[0]!;
  return current;
}

function formatOperand(group: PermissionQuery, parent: 'and' | 'or'): string {
  const operand = unwrap(group);
  const text = formatPermissionQuery(operand);
  if (operand.type === 'permission') return text;
  // An OR inside an AND needs parentheses for precedence; a group of the parent's own kind needs them so that
  // parsing gives back the same tree (the parser turns an unparenthesised chain into one group).
  return operand.type === 'and' && parent === 'or' ? text : `(${text})`;
}

/**
 * Canonical text of a query: operators upper-case, single spaces, parentheses only where the tree needs them.
 * `parsePermissionQuery(formatPermissionQuery(q))` gives back `q` for every tree the parser can produce.
 * Throws `ConfigurationError` for a hand-built tree that no text can express (an empty group, a name that is not a
 * permission token).
 */
export function formatPermissionQuery(query: PermissionQuery): string {
  if (query.type === 'permission') {
    if (!PERMISSION_TOKEN.test(query.name) || OPERATOR_WORD.test(query.name)) {
      throw new ConfigurationError(`${JSON.stringify(query.name)} cannot be written as a permission in a query`);
    }
    return query.name;
  }
  if (query.operands.length === 0)
    throw new ConfigurationError(`an empty "${query.type}" group cannot be written as a query`);
  if (query.operands.length === 1) return formatPermissionQuery(unwrap(query));
  const separator = query.type === 'and' ? ' AND ' : ' OR ';
  return query.operands.map((operand) => formatOperand(operand, query.type as 'and' | 'or')).join(separator);
}
