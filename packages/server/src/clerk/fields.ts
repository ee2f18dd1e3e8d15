import { META_MAX_BYTES } from '../validation/rules.js';
import {
  array,
  integer,
  numberText,
  invalid,
  json,
  nullable,
  number,
  oneOf,
  string,
  type Schema,
} from '../validation/schema.js';

/** Field rules of the Clerk API-key endpoints (docs/clerk-api-keys.md). */

/** Required, 3..255 characters, no spaces at the start or end. */
export function apiKeyName(): Schema<string> {
  const base = string({ min: 3, max: 255 });
  return {
    describe: base.describe,
    read(value, location, issues) {
      const name = base.read(value, location, issues);
      if (name === invalid || name.trim() === name) return name;
      issues.push({ location, message: 'must not start or end with whitespace', fix: 'trim the name' });
      return invalid;
    },
  };
}

/** The owner: a user, organization or machine id. */
export const subject = () =>
  string({
    min: 5,
    max: 255,
    pattern: /^(?:user|org|mch)_[A-Za-z0-9_-]+$/,
    patternText: 'use a user_…, org_… or mch_… id',
  });
export const createdBy = () =>
  string({ min: 6, max: 255, pattern: /^user_[A-Za-z0-9_-]+$/, patternText: 'use a user_… id' });
export const apiKeyType = () => oneOf(['api_key'] as const);
export const description = () => nullable(string({ max: 255 }));
export const claims = () => json({ maxBytes: META_MAX_BYTES });
/** Scopes become permissions in keyguard, so no whitespace inside one. */
export const scopes = () =>
  array(string({ min: 1, max: 255, pattern: /^\S+$/, patternText: 'no whitespace in a scope' }), { max: 100 });
/** Seconds from now (fractions allowed, at most 100 years); null: never expires. */
export const secondsUntilExpiration = () => nullable(number({ greaterThan: 0, max: 3_153_600_000 }));
export const revocationReason = () => nullable(string({ max: 255 }));
export const secret = () => string({ min: 1, max: 512 });

/** Query parameters of the list: whole numbers, also when written as floats (`10.0`); `10.5` is refused. */
export const limitParam = () => numberText(integer({ min: 1, max: 100 }));
export const offsetParam = () => numberText(integer({ min: 0, max: 1_000_000_000 }));
export const includeInvalidParam = () => oneOf(['true', 'false'] as const);
export const searchParam = () => string({ max: 255 });

/** The expiration (unix ms) for `seconds_until_expiration` at `now`: null stays null (never expires). */
export const expirationFrom = (seconds: number | null, now: number): number | null =>
  seconds === null ? null : now + Math.round(seconds * 1000);
