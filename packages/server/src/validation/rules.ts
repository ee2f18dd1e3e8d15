import { integer, string } from './schema.js';

/** Field rules shared by several endpoints (unkey-v2.md and the seed documents). */
export const apiId = () => string({ min: 3, max: 255 });
export const keyId = () => string({ min: 3, max: 255 });
/** Seed 003: 3..255 characters, starts with a letter, then letters, digits, `_`, `.`, `-`. */
export const apiName = () =>
  string({ min: 3, max: 255, pattern: /^[A-Za-z][A-Za-z0-9_.-]*$/, patternText: 'start with a letter; use only letters, digits, "_", "." and "-"' });
export const permissionSlug = () =>
  string({ min: 1, max: 128, pattern: /^[a-zA-Z0-9_:\-.*]+$/, patternText: 'use only letters, digits, "_", ":", "-", "." and "*"' });
export const roleName = () =>
  string({ min: 1, max: 512, pattern: /^[a-zA-Z0-9_:\-.*]+$/, patternText: 'use only letters, digits, "_", ":", "-", "." and "*"' });
export const externalId = () => string({ min: 1, max: 255 });
export const ratelimitName = () => string({ min: 3, max: 128 });
/** Unix ms up to the year 9999. */
export const unixMs = () => integer({ min: 0, max: 253_402_300_799_999 });
export const META_MAX_BYTES = 64 * 1024;
