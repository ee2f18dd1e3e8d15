import { integer, json, nullable, number, numberText, oneOf, string } from '../../validation/schema.js';
import { META_MAX_BYTES } from '../../validation/rules.js';

/** Field rules of the M2M token endpoints (Clerk's Backend API OpenAPI, `/m2m_tokens`). */

export const tokenFormat = () => oneOf(['opaque', 'jwt'] as const);
/** Seconds from now, more than 0 (at most 100 years); null: the machine's default TTL. */
export const secondsUntilExpiration = () => nullable(number({ greaterThan: 0, max: 3_153_600_000 }));
export const m2mClaims = () => nullable(json({ maxBytes: META_MAX_BYTES }));
export const minRemainingTtlSeconds = () => integer({ min: 0, max: 3_153_600_000 });
export const machineSubject = () =>
  string({ min: 5, max: 255, pattern: /^mch_[A-Za-z0-9_]+$/, patternText: 'use a mch_… machine id' });
export const booleanParam = () => oneOf(['true', 'false'] as const);
export const limitParam = () => numberText(integer({ min: 1, max: 100 }));
export const offsetParam = () => numberText(integer({ min: 0, max: 1_000_000_000 }));
export const revocationReason = () => nullable(string({ max: 255 }));
export const tokenText = () => string({ min: 1, max: 4096 });
