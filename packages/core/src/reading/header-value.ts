import type { HeaderBag } from '../types.js';

/** `a` equals the lower-case `lowerName` ignoring ASCII case, without allocating a lower-cased copy. */
export function equalsIgnoringCase(a: string, lowerName: string): boolean {
  if (a.length !== lowerName.length) return false;
  for (let index = 0; index < a.length; index++) {
    let code = a.charCodeAt(index);
    if (code >= 0x41 && code <= 0x5a) code |= 0x20;
    if (code !== lowerName.charCodeAt(index)) return false;
  }
  return true;
}

/**
 * A header's value from a fetch `Headers` or a Node-style record, by lower-case name. Node gives lower-case names,
 * so the exact lookup nearly always hits; a hand-made record (`{ Authorization: … }`) is scanned case-insensitively.
 * `Headers` joins repeated headers with ", "; a record may hold them as an array.
 */
export function headerValue(headers: HeaderBag, lowerName: string): string | string[] | undefined {
  if (typeof (headers as Headers).get === 'function' && typeof (headers as Headers).forEach === 'function') {
    return (headers as Headers).get(lowerName) ?? undefined;
  }
  const record = headers as Record<string, string | string[] | undefined>;
  const exact = record[lowerName];
  if (exact !== undefined) return exact;
  for (const name in record) {
    if (equalsIgnoringCase(name, lowerName)) return record[name];
  }
  return undefined;
}

/**
 * True when the header `lowerName` appears on more than one line of `rawHeaders` (Node's `rawHeaders`: names and
 * values alternating, as received). Node keeps only the first `Authorization` line in `headers`, so only this list
 * shows a second one.
 */
export function isRepeated(rawHeaders: readonly string[], lowerName: string): boolean {
  let seen = false;
  for (let index = 0; index < rawHeaders.length; index += 2) {
    if (!equalsIgnoringCase(rawHeaders[index]!, lowerName)) continue;
    if (seen) return true;
    seen = true;
  }
  return false;
}
