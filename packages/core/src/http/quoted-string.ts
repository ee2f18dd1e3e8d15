/**
 * Writes `value` as an RFC 9110 quoted-string: `"` and `\` are escaped, and characters a header value cannot
 * carry (control characters, CR/LF, non-ASCII) are dropped, so a realm can never split or break the header.
 */
export function quotedString(value: string): string {
  return `"${value.replace(/[^\t\x20-\x7e]/g, '').replace(/["\\]/g, '\\$&')}"`;
}

/** Text that can sit inside a quoted-string unchanged, and in a scope-token list (printable ASCII, no `"` `\`). */
export function isQuotedStringSafe(value: string): boolean {
  return value.length > 0 && /^[\x20\x21\x23-\x5b\x5d-\x7e]+$/.test(value);
}
