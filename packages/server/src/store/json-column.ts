import { isRecord } from '@keyguard/core/service';
import { inspectJson } from '../validation/json-value.js';

/** JSON columns (key and identity meta, Clerk claims and scopes), written with JSON.stringify; null stays SQL NULL. */
export function toJsonColumn(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

/**
 * A JSON column read back defensively: broken text, or a value nested deeper than a request may send (a row from
 * an older server, or written by hand), reads as null. One bad row must not break every answer that lists it.
 */
export function readJsonColumn(text: string | null): unknown {
  if (text === null) return null;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return null;
  }
  return inspectJson(value, 'column', 1) ? null : value;
}

/** A JSON object column (meta): anything else reads as null. */
export function readJsonObjectColumn(text: string | null): Record<string, unknown> | null {
  const value = readJsonColumn(text);
  return isRecord(value) ? value : null;
}
