import { PermissionQuerySyntaxError } from './syntax-error.js';

export type Token =
  | { kind: 'permission'; text: string; position: number }
  | { kind: 'and' | 'or'; text: string; position: number }
  | { kind: '(' | ')'; position: number };

// [A-Za-z0-9._\-:*/], as a lookup table: the tokenizer runs on every uncompiled query.
const PERMISSION_CHARS = new Uint8Array(128);
for (const char of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-:*/')
  PERMISSION_CHARS[char.charCodeAt(0)] = 1;

const isPermissionChar = (code: number): boolean => code < 128 && PERMISSION_CHARS[code] === 1;
const isWhitespace = (code: number): boolean => code === 0x20 || code === 0x09 || code === 0x0a || code === 0x0d;

/** Shows a character in an error message; control characters and lone surrogates are escaped. */
export function describeCharacter(char: string): string {
  return /^[\x21-\x7e]$/.test(char) ? `"${char}"` : JSON.stringify(char);
}

/**
 * Splits a query into tokens. A permission is a maximal run of permission characters, so `ANDROID.read` is a
 * permission while `and` alone is an operator (operators are whole words, matched case-insensitively).
 */
export function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < query.length) {
    const code = query.charCodeAt(index);
    if (isWhitespace(code)) {
      index++;
    } else if (code === 0x28 || code === 0x29) {
      tokens.push({ kind: code === 0x28 ? '(' : ')', position: index });
      index++;
    } else if (isPermissionChar(code)) {
      const start = index;
      while (index < query.length && isPermissionChar(query.charCodeAt(index))) index++;
      const text = query.slice(start, index);
      const word = text.length <= 3 ? text.toLowerCase() : '';
      tokens.push({
        kind: word === 'and' ? 'and' : word === 'or' ? 'or' : 'permission',
        text,
        position: start,
      } as Token);
    } else {
      const char = String.fromCodePoint(query.codePointAt(index)!);
      throw new PermissionQuerySyntaxError(
        `invalid character ${describeCharacter(char)} at position ${index} in the permission query`,
        index,
      );
    }
  }
  return tokens;
}
