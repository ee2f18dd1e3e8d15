/** A unix-ms time as a short local date and time. */
export const formatTime = (ms: number | undefined): string =>
  ms === undefined ? '—' : new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A clock time with seconds, for the live feed. */
export const clockTime = (ms: number): string =>
  new Date(ms).toLocaleTimeString(undefined, { hour12: false, hour: '2-digit', minute: '2-digit', second: '2-digit' });

/** Milliseconds as "1 h 2 min", "45 s", "250 ms". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return seconds % 60 ? `${minutes} min ${seconds % 60} s` : `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
}

/** The outcome codes of Unkey's keys.verifyKey, in the order the charts stack them. */
export const OUTCOMES = [
  'VALID',
  'RATE_LIMITED',
  'USAGE_EXCEEDED',
  'INSUFFICIENT_PERMISSIONS',
  'EXPIRED',
  'DISABLED',
  'FORBIDDEN',
  'NOT_FOUND',
] as const;

/** The CSS class of an outcome's colour (styles.css). */
export const outcomeClass = (code: string): string =>
  `outcome-${OUTCOMES.includes(code as (typeof OUTCOMES)[number]) ? code.toLowerCase().replace(/_/g, '-') : 'other'}`;

/** What a failed check is called on the page. */
export const CHECK_NAMES: Readonly<Record<string, string>> = {
  not_found: 'key not found',
  workspace_disabled: 'workspace disabled',
  disabled: 'key disabled',
  expired: 'expired',
  permissions: 'permission query',
  rate_limit: 'rate limit',
  credits: 'credits',
};

/** A count with thousands separators: "4,812". */
export const thousands = (n: number): string => n.toLocaleString('en-US');
