import { integer, string } from './schema.js';

/** Field rules shared by several endpoints (docs/unkey-v2.md, and keyguard's own where noted). */
export const apiId = () => string({ min: 3, max: 255 });
export const keyId = () => string({ min: 3, max: 255 });
/** keyguard's API names: 3..255 characters, starting with a letter, then letters, digits, `_`, `.`, `-` (unique per workspace). */
export const apiName = () =>
  string({
    min: 3,
    max: 255,
    pattern: /^[A-Za-z][A-Za-z0-9_.-]*$/,
    patternText: 'start with a letter; use only letters, digits, "_", "." and "-"',
  });
export const permissionSlug = () =>
  string({
    min: 1,
    max: 128,
    pattern: /^[a-zA-Z0-9_:\-.*]+$/,
    patternText: 'use only letters, digits, "_", ":", "-", "." and "*"',
  });
export const roleName = () =>
  string({
    min: 1,
    max: 512,
    pattern: /^[a-zA-Z0-9_:\-.*]+$/,
    patternText: 'use only letters, digits, "_", ":", "-", "." and "*"',
  });
export const externalId = () => string({ min: 1, max: 255 });
export const ratelimitName = () => string({ min: 3, max: 128 });
/** Credits, costs and limits: whole numbers up to 10^12. */
export const creditCount = (min: 0 | 1 = 0) => integer({ min, max: 1e12 });
/** A rate-limit window: 1 s .. 30 days, in ms. */
export const ratelimitDuration = () => integer({ min: 1000, max: 2_592_000_000 });
/** Unix ms up to the year 9999. */
export const unixMs = () => integer({ min: 0, max: 253_402_300_799_999 });
export const META_MAX_BYTES = 64 * 1024;
