import type { ValidationIssue } from './issues.js';

/**
 * How deeply objects and arrays may nest in one field of a request (the field's own value is level 1), and in what
 * the store reads back. Generous for metadata and claims, and far below where serializing a value would exhaust
 * the stack.
 */
export const MAX_JSON_DEPTH = 32;

const ANY_SURROGATE = /[\uD800-\uDFFF]/;

/**
 * Whether `text` holds a UTF-16 surrogate that is not half of a pair. JSON's `\ud800` escape can write one; UTF-8
 * (the database's encoding, and every answer's) cannot carry it.
 */
export function hasLoneSurrogate(text: string): boolean {
  if (!ANY_SURROGATE.test(text)) return false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code < 0xd800 || code > 0xdfff) continue;
    const next = text.charCodeAt(index + 1);
    if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      index++;
      continue;
    }
    return true;
  }
  return false;
}

interface Frame {
  value: unknown;
  /** Nesting level of this value when it is an object or array. */
  level: number;
  parent?: Frame;
  key?: string | number;
}

function pathOf(frame: Frame, base: string): string {
  const parts: string[] = [];
  for (let current: Frame | undefined = frame; current?.parent; current = current.parent) {
    parts.push(typeof current.key === 'number' ? `[${current.key}]` : `.${current.key}`);
  }
  return base + parts.reverse().join('');
}

/** The ancestor at level 1: the field that holds a too-deep value (its whole path could be thousands of keys long). */
function fieldOf(frame: Frame): Frame {
  let current = frame;
  while (current.parent && current.level > 1) current = current.parent;
  return current;
}

const UNPAIRED = 'contains an unpaired UTF-16 surrogate (a lone \\ud800-\\udfff escape)';
const WELL_FORMED = 'send well-formed Unicode text: surrogates only in pairs';

/**
 * The first problem of a parsed JSON value: objects or arrays nested deeper than `MAX_JSON_DEPTH` within one field,
 * or a string or object key holding an unpaired surrogate. `level` is the nesting level of `value` itself: 0 for a
 * request body (its fields are level 1), 1 for a field's value. Iterative, so a value of any depth is safe to inspect.
 */
export function inspectJson(value: unknown, location: string, level: 0 | 1): ValidationIssue | undefined {
  const stack: Frame[] = [{ value, level }];
  while (stack.length > 0) {
    const frame = stack.pop() as Frame;
    const current = frame.value;
    if (typeof current === 'string') {
      if (hasLoneSurrogate(current)) return { location: pathOf(frame, location), message: UNPAIRED, fix: WELL_FORMED };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    if (frame.level > MAX_JSON_DEPTH) {
      return {
        location: pathOf(fieldOf(frame), location),
        message: `nests objects and arrays more than ${MAX_JSON_DEPTH} levels deep`,
        fix: `use at most ${MAX_JSON_DEPTH} levels (the field's own value is level 1)`,
      };
    }
    const children = Array.isArray(current) ? current.map((_item, index) => index) : Object.keys(current);
    // Pushed in reverse, so that problems are found in document order.
    for (let index = children.length - 1; index >= 0; index--) {
      const key = children[index] as string | number;
      if (typeof key === 'string' && hasLoneSurrogate(key))
        return { location: pathOf(frame, location), message: `has a key that ${UNPAIRED}`, fix: WELL_FORMED };
      stack.push({
        value: (current as Record<string | number, unknown>)[key],
        level: frame.level + 1,
        parent: frame,
        key,
      });
    }
  }
  return undefined;
}
