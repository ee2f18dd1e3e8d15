import { describe, expect, it } from 'vitest';
import { ConfigurationError } from '../src/errors.js';
import {
  formatPermissionQuery,
  parsePermissionQuery,
  PermissionQuerySyntaxError,
  type PermissionQuery,
} from '../src/permissions/index.js';

// What a rejected query tells its author, word for word where it matters: the token where reading stopped, the
// character that is not allowed, and why a tree cannot be written back as text.
const p = (name: string): PermissionQuery => ({ type: 'permission', name });

function rejection(query: unknown): PermissionQuerySyntaxError {
  try {
    parsePermissionQuery(query as string);
  } catch (error) {
    if (error instanceof PermissionQuerySyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(query)} to be rejected`);
}

describe('permission query errors name what was found', () => {
  it.each([
    ['a b', 2, 'found permission "b"'],
    ['a AND', 5, 'found the end of the query'],
    ['a OR or b', 5, 'found operator "or"'],
    ['a AND )', 6, 'found ")"'],
    ['a (', 2, 'found "("'],
    ['(a', 2, 'expected ")" at position 2 of the permission query, found the end of the query'],
    [') a', 0, 'expected a permission or "(" at position 0 of the permission query, found ")"'],
  ])('%j stops at %i: %s', (query, position, text) => {
    const error = rejection(query);
    expect(error.position).toBe(position);
    expect(error.message).toContain(text);
  });

  it('shows a printable character quoted as it is, and a control character escaped', () => {
    expect(rejection('a "b"').message).toBe('invalid character """ at position 2 in the permission query');
    expect(rejection('a \\').message).toBe('invalid character "\\" at position 2 in the permission query');
    expect(rejection('a \u0001').message).toBe('invalid character "\\u0001" at position 2 in the permission query');
    expect(rejection('a #').message).toBe('invalid character "#" at position 2 in the permission query');
  });

  it('says why a value that is not a string, or is too long, is not a query', () => {
    const notText = rejection(42);
    expect(notText.message).toBe('the permission query must be a string');
    expect(notText.position).toBe(0);
    expect(rejection('a'.repeat(1001)).message).toBe(
      'the permission query is longer than 1000 characters (position 1000)',
    );
  });
});

describe('formatPermissionQuery edges', () => {
  it('writes a one-operand group as its operand, without parentheses', () => {
    expect(formatPermissionQuery({ type: 'and', operands: [{ type: 'or', operands: [p('a'), p('b')] }] })).toBe(
      'a OR b',
    );
    expect(formatPermissionQuery({ type: 'or', operands: [{ type: 'and', operands: [p('a'), p('b')] }] })).toBe(
      'a AND b',
    );
  });

  it('says which name or group cannot be written', () => {
    expect(() => formatPermissionQuery(p('has space'))).toThrow(
      new ConfigurationError('"has space" cannot be written as a permission in a query'),
    );
    expect(() => formatPermissionQuery({ type: 'or', operands: [] })).toThrow(
      new ConfigurationError('an empty "or" group cannot be written as a query'),
    );
  });
});
