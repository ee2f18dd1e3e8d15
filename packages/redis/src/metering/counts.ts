/**
 * The largest count a member shares. A member's count is its admissions the key service has not confirmed, which
 * `maxUnsettled` keeps far below this; a larger number in Redis was not written by a member (see `readCounts`).
 */
export const MAX_SHARED_COUNT = 2 ** 31 - 1;

/** What one read of a budget's hash holds: the others' counts by member, their sum, and fields that were no count. */
export interface OthersCounts {
  byMember: Map<string, number>;
  unconfirmed: number;
  garbage: number;
}

// At most ten digits: anything longer is past MAX_SHARED_COUNT, and `Number()` of a long run of digits is Infinity.
const COUNT = /^\d{1,10}$/;

/** A count as Redis answered it (a string, or an integer reply), or undefined when it cannot be a member's count. */
export function parseCount(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : value;
  if (typeof text !== 'string' || !COUNT.test(text)) return undefined;
  const units = Number(text);
  return units <= MAX_SHARED_COUNT ? units : undefined;
}

/**
 * The others' counts from the script's answer `{fields it dropped as no count, member, count, …}`. Counts are not signed, so anyone who can write to
 * Redis can put anything there. A field that is no count (not a whole number from 0 to MAX_SHARED_COUNT: negative,
 * fractional, Infinity, text) is ignored, as if that member held nothing: every count read here is only ever
 * subtracted from an estimate, so leaving one out can never admit more than an instance alone would, while guessing a
 * number for it would have to invent one (and a guess of Infinity turns into NaN once it is released, which admits
 * everything). A count in range is taken as it is: a large one only lowers what instances admit from memory.
 */
export function readCounts(reply: unknown): OthersCounts {
  const byMember = new Map<string, number>();
  let unconfirmed = 0;
  const fields = Array.isArray(reply) ? (reply as unknown[]) : [];
  let garbage = parseCount(fields[0]) ?? 1;
  for (let i = 1; i + 1 < fields.length; i += 2) {
    const member = fields[i];
    const units = parseCount(fields[i + 1]);
    if (typeof member !== 'string' || units === undefined || byMember.has(member)) {
      garbage += 1;
      continue;
    }
    byMember.set(member, units);
    unconfirmed += units;
  }
  return { byMember, unconfirmed, garbage };
}
