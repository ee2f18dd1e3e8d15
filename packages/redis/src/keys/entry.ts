import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ProviderAnswer } from '@keyguard/core';

/** What the shared cache holds for a key: an answer, or a mark that the key is metered (never shared, never waited for). */
export type SharedEntry =
  | {
      kind: 'answer';
      answer: ProviderAnswer;
      /** When the writer obtained it (unix ms, its clock, never later than the reader's now). */
      obtainedAt: number;
      /** When the writer asked the provider (Redis time): what an invalidation seen since is compared with. */
      askedAt: number;
    }
  | { kind: 'metered' };

/**
 * The signed fields. `r` and `k` come first in the JSON: the READ script finds them there without a JSON parser,
 * to check the invalidation notes.
 */
interface Payload {
  /** When the provider was asked (Redis time, ms): an answer asked for before an invalidation is not served after it. */
  r: number;
  /** The answer's key id, when it has one (the same as in `a`). */
  k?: string;
  /** The answer, absent for a metered mark. */
  a?: ProviderAnswer;
  /** When the writer obtained it (unix ms, its clock). */
  t: number;
  /** Past this (writer's clock + the policy's window) the entry is not served, even if replayed into Redis. */
  x: number;
}

/**
 * Names and signs shared answers with the fleet's secret. A name is HMAC-SHA-256(secret, digest), the digest being
 * SHA-256 of the key: neither can be turned back into the key, and without the secret a Redis dump does not even
 * tell which digests are there. An entry is `<mac>.<json>`, the MAC binding it to its name, so an entry written
 * without the secret, or moved to another name, is not served.
 */
export class EntryCodec {
  constructor(private readonly secret: string) {}

  name(digest: string): string {
    return createHmac('sha256', this.secret).update('keyguard-name\0').update(digest).digest('base64url');
  }

  /** An answer, or a metered mark for `undefined`, asked for at `askedAt` (Redis time) and obtained at `now`. */
  encode(name: string, answer: ProviderAnswer | undefined, ttlMs: number, now: number, askedAt: number): string {
    const keyId = answer?.key?.id ?? answer?.keyId;
    // Spelled out in this order: `r` then `k` must lead the JSON (see Payload).
    const payload: Payload = { r: askedAt, ...(keyId !== undefined ? { k: keyId } : {}), t: now, x: now + ttlMs };
    if (answer) payload.a = answer;
    const json = JSON.stringify(payload);
    return `${this.mac(name, json)}.${json}`;
  }

  /** The entry, or undefined when it is not ours, not intact, or past its signed expiry. */
  decode(name: string, value: string, now: number): SharedEntry | undefined {
    const dot = value.indexOf('.');
    if (dot <= 0) return undefined;
    const json = value.slice(dot + 1);
    const given = Buffer.from(value.slice(0, dot));
    const expected = Buffer.from(this.mac(name, json));
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return undefined;
    let payload: Payload;
    try {
      payload = JSON.parse(json) as Payload;
    } catch {
      return undefined;
    }
    if (typeof payload.x !== 'number' || payload.x <= now || typeof payload.r !== 'number') return undefined;
    if (!payload.a) return { kind: 'metered' };
    return { kind: 'answer', answer: payload.a, obtainedAt: Math.min(payload.t, now), askedAt: payload.r };
  }

  private mac(name: string, json: string): string {
    return createHmac('sha256', this.secret)
      .update('keyguard-entry\0')
      .update(name)
      .update('\0')
      .update(json)
      .digest('base64url');
  }
}
