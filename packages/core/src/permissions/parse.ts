import { PermissionQuerySyntaxError } from './syntax-error.js';
import { tokenize, type Token } from './tokenize.js';
import type { PermissionQuery } from './types.js';

/** Longest query accepted, as in Unkey's `keys.verifyKey` `permissions` field. */
export const MAX_PERMISSION_QUERY_LENGTH = 1000;

/*
 * Grammar (docs/unkey-v2.md, after Unkey's permission query documentation):
 *   expression := and ( OR and )*
 *   and        := primary ( AND primary )*
 *   primary    := PERMISSION | "(" expression ")"
 * AND binds tighter than OR. Both are associative for evaluation, so a chain becomes one n-ary group.
 */

function describe(token: Token | undefined): string {
  if (!token) return 'the end of the query';
  if ('text' in token) return token.kind === 'permission' ? `permission "${token.text}"` : `operator "${token.text}"`;
  return `"${token.kind}"`;
}

class Parser {
  private index = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly length: number,
  ) {}

  parse(): PermissionQuery {
    const query = this.expression();
    const trailing = this.tokens[this.index];
    if (trailing) this.fail('"AND", "OR" or the end of the query', trailing);
    return query;
  }

  private expression(): PermissionQuery {
    const first = this.and();
    if (this.tokens[this.index]?.kind !== 'or') return first;
    const operands = [first];
    while (this.tokens[this.index]?.kind === 'or') {
      this.index++;
      operands.push(this.and());
    }
    return { type: 'or', operands };
  }

  private and(): PermissionQuery {
    const first = this.primary();
    if (this.tokens[this.index]?.kind !== 'and') return first;
    const operands = [first];
    while (this.tokens[this.index]?.kind === 'and') {
      this.index++;
      operands.push(this.primary());
    }
    return { type: 'and', operands };
  }

  private primary(): PermissionQuery {
    const token = this.tokens[this.index];
    if (token?.kind === 'permission') {
      this.index++;
      return { type: 'permission', name: token.text };
    }
    if (token?.kind === '(') {
      this.index++;
      const inner = this.expression();
      const closing = this.tokens[this.index];
      if (closing?.kind !== ')') this.fail('")"', closing);
      this.index++;
      return inner;
    }
    return this.fail('a permission or "("', token);
  }

  private fail(expected: string, found: Token | undefined): never {
    const position = found ? found.position : this.length;
    throw new PermissionQuerySyntaxError(
      `expected ${expected} at position ${position} of the permission query, found ${describe(found)}`,
      position,
    );
  }
}

/**
 * Parses a permission query such as `api.read AND (billing.read OR admin)`. Throws `PermissionQuerySyntaxError`
 * (and nothing else) for any input that is not a query, with the position where reading stopped.
 */
export function parsePermissionQuery(query: string): PermissionQuery {
  if (typeof query !== 'string') throw new PermissionQuerySyntaxError('the permission query must be a string', 0);
  if (query.length > MAX_PERMISSION_QUERY_LENGTH) {
    throw new PermissionQuerySyntaxError(
      `the permission query is longer than ${MAX_PERMISSION_QUERY_LENGTH} characters (position ${MAX_PERMISSION_QUERY_LENGTH})`,
      MAX_PERMISSION_QUERY_LENGTH,
    );
  }
  const tokens = tokenize(query);
  if (tokens.length === 0) {
    throw new PermissionQuerySyntaxError(
      `the permission query is empty: expected a permission or "(" at position ${query.length}`,
      query.length,
    );
  }
  return new Parser(tokens, query.length).parse();
}
