import { ConfigurationError } from '../errors.js';
import type { RateLimitDuration } from './types.js';

const UNIT_MS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Long enough for any window anyone means (a year), short enough that `now + duration` stays an exact integer. */
const MAX_DURATION_MS = 366 * UNIT_MS.d;

/**
 * A window length in whole milliseconds: a number of ms, or a number with a unit (`'10s'`, `'1.5m'`, `'1h'`, `'1d'`).
 * `option` names the option in the error.
 */
export function parseDuration(option: string, value: unknown): number {
  let ms: number | undefined;
  if (typeof value === 'number') ms = value;
  else if (typeof value === 'string') {
    const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/.exec(value.trim());
    if (match) ms = Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS];
  }
  if (ms === undefined || !Number.isSafeInteger(ms) || ms < 1 || ms > MAX_DURATION_MS) {
    throw new ConfigurationError(
      `${option} must be a whole number of milliseconds from 1 to ${MAX_DURATION_MS}, or a number with a unit such as '10s', '1m', '1h', '1d'`,
    );
  }
  return ms;
}

/** A duration as short as it can be written (`10_000` → `'10s'`): the default name of a limit. */
export function formatDuration(ms: number): string {
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    if (ms % UNIT_MS[unit] === 0) return `${ms / UNIT_MS[unit]}${unit}`;
  }
  return `${ms}ms`;
}

export type { RateLimitDuration };
