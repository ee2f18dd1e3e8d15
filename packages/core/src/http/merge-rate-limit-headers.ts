// A route may answer with two sets of rate-limit headers: keyguard()'s for a metered key and rateLimit()'s for the
// route. Where both use a header name, the second writer merges with the first instead of replacing it, so the
// client hears of every limit: draft-8's fields are lists of named items (draft-ietf-httpapi-ratelimit-headers-08
// §3 and §4, lists that RFC 8941 §3.1 lets a sender join), the older styles describe one limit, the most restrictive.

/** A header already on the response, as the framework answers it (any case of the name; absent as undefined). */
export type ExistingHeader = (name: string) => string | number | readonly string[] | null | undefined;

/** What to write on the response: `set` (every header given, some merged) and `remove` (names to take off). */
export interface MergedRateLimitHeaders {
  /** The headers to set, replacing any value of the same name. */
  readonly set: Record<string, string>;
  /** Names to take off the response: a policy that described the limit not kept (draft-6, draft-7). */
  readonly remove: readonly string[];
}

/** One style's headers describing one limit, and how to read its remaining count and reset from them. */
interface OneLimitStyle {
  /** Every header of the set; the set is kept or replaced as a whole. */
  readonly names: readonly string[];
  /** The header whose presence says the set is of this style. */
  readonly marker: string;
  /** `[remaining, reset]`, or undefined when the values are not this style's. */
  readonly read: (get: (name: string) => string | undefined) => readonly [number, number] | undefined;
}

const numberOf = (value: string | undefined): number => (value === undefined ? NaN : Number(value.trim()));
const pair = (remaining: number, reset: number): readonly [number, number] | undefined =>
  Number.isFinite(remaining) && Number.isFinite(reset) ? [remaining, reset] : undefined;
const DRAFT7_FIELDS = { remaining: /(?:^|,)\s*remaining=(\d+)/, reset: /(?:^|,)\s*reset=(\d+)/ };
const draft7Field = (value: string | undefined, key: keyof typeof DRAFT7_FIELDS): number =>
  numberOf(DRAFT7_FIELDS[key].exec(value ?? '')?.[1]);

const ONE_LIMIT_STYLES: readonly OneLimitStyle[] = [
  {
    marker: 'X-RateLimit-Remaining',
    names: ['X-RateLimit-Limit', 'X-RateLimit-Remaining', 'X-RateLimit-Reset'],
    read: (get) => pair(numberOf(get('X-RateLimit-Remaining')), numberOf(get('X-RateLimit-Reset'))),
  },
  {
    marker: 'RateLimit-Remaining',
    names: ['RateLimit-Limit', 'RateLimit-Remaining', 'RateLimit-Reset', 'RateLimit-Policy'],
    read: (get) => pair(numberOf(get('RateLimit-Remaining')), numberOf(get('RateLimit-Reset'))),
  },
  {
    marker: 'RateLimit',
    names: ['RateLimit', 'RateLimit-Policy'],
    read: (get) => pair(draft7Field(get('RateLimit'), 'remaining'), draft7Field(get('RateLimit'), 'reset')),
  },
];

function single(value: ReturnType<ExistingHeader>): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'object' ? value.join(', ') : String(value);
}

/** Splits an RFC 8941 list on the commas outside strings. */
function listMembers(value: string): string[] {
  const members: string[] = [];
  let start = 0;
  let quoted = false;
  for (let index = 0; index < value.length; index++) {
    const char = value[index];
    if (quoted && char === '\\') index++;
    else if (char === '"') quoted = !quoted;
    else if (char === ',' && !quoted) {
      members.push(value.slice(start, index).trim());
      start = index + 1;
    }
  }
  members.push(value.slice(start).trim());
  return members.filter((member) => member.length > 0);
}

/** A draft-8 item (`"name";q=5` or `name;q=5`) as its name and its parameters, or undefined when it is not one. */
function item(member: string): { name: string; parameters: string } | undefined {
  const match = /^(?:"((?:[^"\\]|\\.)*)"|([A-Za-z*][\w:/!#$%&'*+.^`|~-]*))(;.*)?$/.exec(member);
  if (!match) return undefined;
  const name = match[1] === undefined ? match[2]! : match[1].replace(/\\(.)/g, '$1');
  return { name, parameters: match[3] ?? '' };
}

const isDraft8 = (value: string): boolean => listMembers(value).every((member) => item(member) !== undefined);
const sfString = (name: string): string => `"${name.replace(/["\\]/g, '\\$&')}"`;

/**
 * draft-8: the existing items, then the incoming ones. A name identifies one policy and ties a `RateLimit` item to
 * its `RateLimit-Policy` item, so an incoming name already used is renamed (`"1m"` → `"1m-2"`) in both fields alike;
 * an incoming item already there as is in every field (the same limit written twice) is not repeated.
 */
function joinDraft8(get: (name: string) => string | undefined, incoming: Record<string, string>): void {
  const fields = ['RateLimit-Policy', 'RateLimit'].filter((name) => incoming[name] !== undefined);
  const existing = fields.map((name) => get(name));
  if (existing.every((value) => value === undefined)) return;
  const parsed = [...existing, ...fields.map((name) => incoming[name])].every((v) => v === undefined || isDraft8(v));
  if (!parsed) return;
  const before = existing.map((value) => (value === undefined ? [] : listMembers(value)));
  const after = fields.map((field) => listMembers(incoming[field]!));
  const taken = new Set(before.flat().map((member) => item(member)!.name));
  const repeated = (name: string): boolean =>
    after.every((members, index) =>
      members.every((member) => item(member)!.name !== name || before[index]!.includes(member)),
    );
  const renamed = new Map<string, string | null>();
  const renameOf = (name: string): string | null => {
    if (renamed.has(name)) return renamed.get(name)!;
    let fresh: string | null = name;
    if (taken.has(name) && repeated(name)) fresh = null;
    else for (let suffix = 2; taken.has(fresh); suffix++) fresh = `${name}-${suffix}`;
    if (fresh !== null) taken.add(fresh);
    renamed.set(name, fresh);
    return fresh;
  };
  fields.forEach((field, index) => {
    const items = after[index]!.flatMap((member) => {
      const { name, parameters } = item(member)!;
      const fresh = renameOf(name);
      if (fresh === null) return [];
      return [fresh === name ? member : sfString(fresh) + parameters];
    });
    incoming[field] = [existing[index], ...items].filter(Boolean).join(', ');
  });
}

/** draft-6, draft-7, legacy: the set with the least remaining, then the soonest reset, whole. */
function keepMostRestrictive(
  style: OneLimitStyle,
  get: (name: string) => string | undefined,
  incoming: Record<string, string>,
  remove: string[],
): void {
  const mine = style.read((name) => incoming[name]);
  const theirs = style.read(get);
  if (!mine || !theirs) return;
  const incomingWins = mine[0] < theirs[0] || (mine[0] === theirs[0] && mine[1] < theirs[1]);
  for (const name of style.names) {
    if (!incomingWins) delete incoming[name];
    else if (incoming[name] === undefined && get(name) !== undefined) remove.push(name);
  }
}

function sharesAName(existing: ExistingHeader, incoming: Readonly<Record<string, string>>): boolean {
  for (const name in incoming) {
    const value = existing(name);
    if (value !== undefined && value !== null) return true;
  }
  return false;
}

/**
 * Merges rate-limit headers about to be written with those already on the response, so a route with a metered key
 * (keyguard()) and its own limits (rateLimit()) reports both. draft-8 (`RateLimit-Policy`, `RateLimit`): the lists are
 * joined, the existing items first; an incoming item whose name is taken is renamed with a suffix (`"1m-2"`) in both
 * fields. draft-6, draft-7 and legacy describe one limit: of the two sets, the one with the least remaining, then the
 * soonest reset, is kept whole (never the limit of one and the remaining count of the other). `Retry-After`: the
 * later. Where the two sets are of different styles, the names they share carry the incoming values.
 *
 * @param existing - Reads a header already on the response (`res.getHeader`, `ctx.response.get`, `headers.get`).
 * @param incoming - The headers about to be written (a `RateLimitOutcome`'s, an `AuthenticationOutcome`'s, a denial's).
 * @returns The headers to set (the incoming ones, merged) and the names to remove.
 *
 * @example
 * ```ts
 * import type { ServerResponse } from 'node:http';
 * import { mergeRateLimitHeaders } from '@keyguard/core';
 *
 * // What a second middleware does with the headers it adds to a response that may carry a first one's already.
 * export function addRateLimitHeaders(res: ServerResponse, headers: Record<string, string>): void {
 *   const { set, remove } = mergeRateLimitHeaders((name) => res.getHeader(name), headers);
 *   for (const name of remove) res.removeHeader(name);
 *   for (const [name, value] of Object.entries(set)) res.setHeader(name, value);
 * }
 * ```
 */
export function mergeRateLimitHeaders(
  existing: ExistingHeader,
  incoming: Readonly<Record<string, string>>,
): MergedRateLimitHeaders {
  const set = { ...incoming };
  const remove: string[] = [];
  // Every merge rule reads a name the incoming set has; when the response has none of them (a route with one
  // limiter: every request of it), the incoming set is written as is.
  if (!sharesAName(existing, incoming)) return { set, remove };
  const get = (name: string): string | undefined => single(existing(name));
  const style = ONE_LIMIT_STYLES.find((one) => set[one.marker] !== undefined && one.read((n) => set[n]));
  if (style) keepMostRestrictive(style, get, set, remove);
  else joinDraft8(get, set);
  const retryAfter = numberOf(get('Retry-After'));
  if (set['Retry-After'] !== undefined && retryAfter > numberOf(set['Retry-After'])) delete set['Retry-After'];
  return { set, remove };
}
