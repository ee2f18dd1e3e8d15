import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ConfigurationError, KeyguardError } from '../src/errors.js';
import {
  evaluatePermissionQuery,
  formatPermissionQuery,
  matchesPermissions,
  parsePermissionQuery,
  PermissionQuerySyntaxError,
  type PermissionQuery,
} from '../src/permissions/index.js';

const p = (name: string): PermissionQuery => ({ type: 'permission', name });
const and = (...operands: PermissionQuery[]): PermissionQuery => ({ type: 'and', operands });
const or = (...operands: PermissionQuery[]): PermissionQuery => ({ type: 'or', operands });

function syntaxErrorOf(query: string): PermissionQuerySyntaxError {
  try {
    parsePermissionQuery(query);
  } catch (error) {
    if (error instanceof PermissionQuerySyntaxError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(query)} to be rejected`);
}

describe('parsePermissionQuery', () => {
  it('parses a single permission with every allowed character', () => {
    expect(parsePermissionQuery('api.*:read/write-x_1')).toEqual(p('api.*:read/write-x_1'));
  });

  it('gives AND precedence over OR', () => {
    expect(parsePermissionQuery('a OR b AND c')).toEqual(or(p('a'), and(p('b'), p('c'))));
    expect(parsePermissionQuery('a AND b OR c')).toEqual(or(and(p('a'), p('b')), p('c')));
  });

  it('makes one group of a chain and keeps parenthesised groups', () => {
    expect(parsePermissionQuery('a AND b AND c')).toEqual(and(p('a'), p('b'), p('c')));
    expect(parsePermissionQuery('(a AND b) AND c')).toEqual(and(and(p('a'), p('b')), p('c')));
    expect(parsePermissionQuery('a AND (b OR c)')).toEqual(and(p('a'), or(p('b'), p('c'))));
    expect(parsePermissionQuery('((a))')).toEqual(p('a'));
  });

  it('matches operators case-insensitively, as whole words only', () => {
    expect(parsePermissionQuery('a and b Or c')).toEqual(or(and(p('a'), p('b')), p('c')));
    expect(parsePermissionQuery('ANDROID.read')).toEqual(p('ANDROID.read'));
    expect(parsePermissionQuery('ORACLE AND and.x')).toEqual(and(p('ORACLE'), p('and.x')));
  });

  it('skips whitespace, including none around parentheses', () => {
    expect(parsePermissionQuery('\t a\nAND\r\n(b OR c) ')).toEqual(and(p('a'), or(p('b'), p('c'))));
    expect(parsePermissionQuery('(a)AND(b)')).toEqual(and(p('a'), p('b')));
  });

  it.each([
    ['', 0, 'empty'],
    ['   ', 3, 'empty'],
    ['()', 1, 'expected a permission or "("'],
    ['(a', 2, 'expected ")"'],
    ['(a OR (b)', 9, 'expected ")"'],
    ['AND a', 0, 'expected a permission or "("'],
    ['a OR', 4, 'expected a permission or "("'],
    ['a AND OR b', 6, 'expected a permission or "("'],
    ['a b', 2, 'expected "AND", "OR" or the end'],
    ['a)', 1, 'expected "AND", "OR" or the end'],
    ['a AND b!', 7, 'invalid character "!"'],
    ['a AND "b"', 6, 'invalid character'],
    ['é', 0, 'invalid character'],
  ])('rejects %j at position %i', (query, position, expected) => {
    const error = syntaxErrorOf(query);
    expect(error).toBeInstanceOf(KeyguardError);
    expect(error.code).toBe('PERMISSION_QUERY_SYNTAX_ERROR');
    expect(error.name).toBe('PermissionQuerySyntaxError');
    expect(error.position).toBe(position);
    expect(error.message).toContain(expected);
    expect(error.message).toContain(`position ${position}`);
  });

  it('accepts 1000 characters and rejects 1001', () => {
    expect(parsePermissionQuery('a'.repeat(1000))).toEqual(p('a'.repeat(1000)));
    expect(syntaxErrorOf('a'.repeat(1001)).position).toBe(1000);
  });

  it('rejects something that is not a string with a syntax error', () => {
    expect(() => parsePermissionQuery(42 as unknown as string)).toThrow(PermissionQuerySyntaxError);
  });
});

describe('evaluatePermissionQuery and matchesPermissions', () => {
  it('matches exactly, with * as a literal character', () => {
    expect(matchesPermissions('api.*.read', ['api.*.read'])).toBe(true);
    expect(matchesPermissions('api.*.read', ['api.x.read'])).toBe(false);
    expect(matchesPermissions('api.x.read', ['api.*.read'])).toBe(false);
    expect(matchesPermissions('Read', ['read'])).toBe(false);
  });

  it('evaluates AND, OR and precedence', () => {
    expect(matchesPermissions('a OR b AND c', ['a'])).toBe(true);
    expect(matchesPermissions('(a OR b) AND c', ['a'])).toBe(false);
    expect(matchesPermissions('a AND (b OR c)', ['a', 'c'])).toBe(true);
  });

  it('takes a set or an array, and a parsed query', () => {
    const query = parsePermissionQuery('a AND b');
    expect(evaluatePermissionQuery(query, new Set(['a', 'b']))).toBe(true);
    expect(evaluatePermissionQuery(query, ['a'])).toBe(false);
    expect(matchesPermissions(query, ['b', 'a'])).toBe(true);
  });

  it('treats empty groups as the identities', () => {
    expect(evaluatePermissionQuery(and(), [])).toBe(true);
    expect(evaluatePermissionQuery(or(), ['a'])).toBe(false);
  });

  it('throws the syntax error for a bad string query', () => {
    expect(() => matchesPermissions('a AND', ['a'])).toThrow(PermissionQuerySyntaxError);
  });
});

describe('formatPermissionQuery', () => {
  it('writes canonical text', () => {
    expect(formatPermissionQuery(parsePermissionQuery('a and (b or c) OR d'))).toBe('a AND (b OR c) OR d');
    expect(formatPermissionQuery(parsePermissionQuery('((a and b)) and c'))).toBe('(a AND b) AND c');
    expect(formatPermissionQuery(and(and(or(p('a'), p('b'))), p('c')))).toBe('(a OR b) AND c');
  });

  it('refuses trees no text can express', () => {
    expect(() => formatPermissionQuery(and())).toThrow(ConfigurationError);
    expect(() => formatPermissionQuery(p('has space'))).toThrow(ConfigurationError);
    expect(() => formatPermissionQuery(p('or'))).toThrow(ConfigurationError);
  });
});

// Property tests ---------------------------------------------------------------------------------------------

const permissionName = fc.stringMatching(/^[A-Za-z0-9._\-:*/]{1,12}$/).filter((name) => !/^(?:and|or)$/i.test(name));

/** Trees as the parser produces them: groups of two or more, and no group directly inside one of its own kind
 * unless parenthesised, which the formatter always does. */
const queryTree: fc.Arbitrary<PermissionQuery> = fc.letrec<{ node: PermissionQuery }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    permissionName.map(p),
    fc.record({
      type: fc.constantFrom('and' as const, 'or' as const),
      operands: fc.array(tie('node'), { minLength: 2, maxLength: 4 }),
    }),
  ),
})).node;

function referenceEvaluate(query: PermissionQuery, granted: readonly string[]): boolean {
  if (query.type === 'permission') return granted.includes(query.name);
  const results = query.operands.map((operand) => referenceEvaluate(operand, granted));
  return query.type === 'and' ? results.every(Boolean) : results.some(Boolean);
}

function namesIn(query: PermissionQuery): string[] {
  return query.type === 'permission' ? [query.name] : query.operands.flatMap(namesIn);
}

describe('permission query properties', () => {
  it('parse(format(tree)) gives back the tree', () => {
    fc.assert(
      fc.property(queryTree, (tree) => {
        const text = formatPermissionQuery(tree);
        expect(text.length <= 1000 ? parsePermissionQuery(text) : tree).toEqual(tree);
      }),
    );
  });

  it('format(parse(text)) is a fixed point', () => {
    fc.assert(
      fc.property(queryTree, fc.constantFrom('and', 'AND', 'And'), (tree, andWord) => {
        const text = formatPermissionQuery(tree).replaceAll(' AND ', ` ${andWord} `);
        fc.pre(text.length <= 1000);
        const canonical = formatPermissionQuery(parsePermissionQuery(text));
        expect(formatPermissionQuery(parsePermissionQuery(canonical))).toBe(canonical);
      }),
    );
  });

  it('evaluation agrees with a reference evaluator', () => {
    fc.assert(
      fc.property(
        queryTree.chain((tree) =>
          fc.tuple(fc.constant(tree), fc.subarray(namesIn(tree)), fc.array(permissionName, { maxLength: 3 })),
        ),
        ([tree, granted, extra]) => {
          const permissions = [...granted, ...extra];
          const expected = referenceEvaluate(tree, permissions);
          expect(evaluatePermissionQuery(tree, permissions)).toBe(expected);
          expect(evaluatePermissionQuery(tree, new Set(permissions))).toBe(expected);
        },
      ),
    );
  });

  it('AND binds tighter than OR in unparenthesised text', () => {
    fc.assert(
      fc.property(permissionName, permissionName, permissionName, fc.subarray(['x', 'y', 'z']), (a, b, c, pick) => {
        const granted = pick.map((slot) => ({ x: a, y: b, z: c })[slot as 'x' | 'y' | 'z']);
        const has = (name: string) => granted.includes(name);
        expect(matchesPermissions(`${a} OR ${b} AND ${c}`, granted)).toBe(has(a) || (has(b) && has(c)));
        expect(matchesPermissions(`${a} AND ${b} OR ${c}`, granted)).toBe((has(a) && has(b)) || has(c));
      }),
    );
  });

  it('the parser throws nothing but PermissionQuerySyntaxError, with a position inside the query', () => {
    const queryish = fc
      .array(fc.constantFrom('a', 'b.c', ' AND ', ' or ', '(', ')', ' ', '!', '*', 'ANDROID', '\u00e9'), {
        maxLength: 20,
      })
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.string({ maxLength: 1200 }), queryish),
        (text) => {
          try {
            parsePermissionQuery(text);
          } catch (error) {
            expect(error).toBeInstanceOf(PermissionQuerySyntaxError);
            const position = (error as PermissionQuerySyntaxError).position;
            expect(position).toBeGreaterThanOrEqual(0);
            expect(position).toBeLessThanOrEqual(Math.min(text.length, 1000));
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});
