import { randomBytes } from 'node:crypto';
import { encodeBase58Fixed } from '../crypto/base58.js';

/** `prefix_` + 32 hex characters: the shape of Clerk's token ids (`mt_…`, `oat_…`), never the shape of a secret. */
export const hexId = (prefix: string): string => `${prefix}_${randomBytes(16).toString('hex')}`;

/**
 * `prefix_` + 27 base58 characters: the shape of Clerk's object ids (`mch_2xhFjEI5X2qWRvtV13BzSj8H6Dk`, `^mch_\w{27}$`
 * in Clerk's Backend API OpenAPI). The first character of the fixed-width encoding is dropped: it carries the least
 * randomness.
 */
export const objectId = (prefix: string): string => `${prefix}_${encodeBase58Fixed(randomBytes(20)).slice(1)}`;
