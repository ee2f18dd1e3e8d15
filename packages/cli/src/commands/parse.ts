import { CliError } from '../errors.js';

export function integerOption(name: string, text: string | undefined, min = 0): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < min)
    throw new CliError(`${name} must be a whole number ≥ ${min}, got "${text}"`);
  return value;
}

export function listOption(text: string | undefined): string[] | undefined {
  if (text === undefined) return undefined;
  return text
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

/** Any JSON value; `what` names the expected kind in the message. */
export function jsonOption(name: string, text: string | undefined, what = 'JSON'): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new CliError(`${name} must be ${what}, e.g. '{"plan":"pro"}'`);
  }
}

export function jsonObjectOption(name: string, text: string | undefined): Record<string, unknown> | undefined {
  if (text === undefined) return undefined;
  const value = jsonOption(name, text, 'a JSON object');
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new CliError(`${name} must be a JSON object`);
  return value as Record<string, unknown>;
}

/** Unix ms, or an ISO date, or a duration from now like `30d`, `12h`, `15m`, `90s`. */
export function timeOption(name: string, text: string | undefined, now = Date.now()): number | undefined {
  if (text === undefined) return undefined;
  const relative = /^(\d+)([smhd])$/.exec(text);
  if (relative)
    return (
      now +
      Number(relative[1]) * { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[relative[2] as 's' | 'm' | 'h' | 'd']
    );
  if (/^\d+$/.test(text)) return Number(text);
  const parsed = Date.parse(text);
  if (Number.isNaN(parsed))
    throw new CliError(`${name} must be unix ms, an ISO date or a duration like 30d, got "${text}"`);
  return parsed;
}

/** `name:limit:duration[:auto]`, the duration in ms or with a unit like every other: `requests:100:1m:auto`. */
export function ratelimitOption(
  text: string,
  previous: { name: string; limit: number; duration: number; autoApply: boolean }[] = [],
) {
  const [name, limit, duration, auto, ...rest] = text.split(':');
  if (!name || !limit || !duration || rest.length > 0 || (auto !== undefined && auto !== 'auto')) {
    throw new CliError(
      `--ratelimit must look like name:limit:duration[:auto] (e.g. requests:10:1m:auto), got "${text}"`,
    );
  }
  return [
    ...previous,
    {
      name,
      limit: integerOption('--ratelimit limit', limit, 1) as number,
      duration: durationOption('--ratelimit duration', duration, 1) as number,
      autoApply: auto === 'auto',
    },
  ];
}

const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds: a whole number, or with a unit: `500ms`, `90s`, `15m`, `12h`, `30d`; at least `min`. */
export function durationOption(name: string, text: string | undefined, min = 0): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)(ms|s|m|h|d)?$/.exec(text);
  const value = match ? Number(match[1]) * UNIT_MS[(match[2] ?? 'ms') as keyof typeof UNIT_MS] : Number.NaN;
  if (!Number.isSafeInteger(value) || value < min)
    throw new CliError(`${name} must be milliseconds or a duration like 90s, 15m, 12h, 30d, got "${text}"`);
  return value;
}

/** Seconds: a whole number, or with a unit (`90s`, `15m`, `12h`, `30d`), for options Clerk takes in seconds. */
export function secondsOption(name: string, text: string | undefined, min = 0): number | undefined {
  if (text === undefined) return undefined;
  const match = /^(\d+)(s|m|h|d)?$/.exec(text);
  const seconds = match ? (Number(match[1]) * UNIT_MS[(match[2] ?? 's') as keyof typeof UNIT_MS]) / 1_000 : Number.NaN;
  if (!Number.isSafeInteger(seconds) || seconds < min)
    throw new CliError(
      `${name} must be a whole number ≥ ${min} of seconds, or a duration like 90s, 15m, 12h, 30d, got "${text}"`,
    );
  return seconds;
}
