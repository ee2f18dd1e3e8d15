import { ConfigurationError } from '@keyguard/core/edge';
import { fromBase64Url, toBase64Url } from '@keyguard/core/service';
import type { HeaderBag, VerifiedKey } from '@keyguard/core';

// Forwarding the verified identity from middleware to the route, as a signed request header. Web Crypto
// (HMAC-SHA-256) and TextEncoder only: this module runs on the edge runtime.

/** Request header that carries the signed identity from `keyguardMiddleware` to the route. */
export const DEFAULT_FORWARD_HEADER = 'x-keyguard-api-key';
/** Environment variable read when no `secret` is given. */
export const FORWARD_SECRET_ENV = 'KEYGUARD_FORWARD_SECRET';
/** Shortest accepted secret (32 characters: 256 bits if random hex or more). */
export const MIN_FORWARD_SECRET_LENGTH = 32;
/** A forwarded identity older than this is refused (default 60 s): it only lives for one request. */
export const DEFAULT_FORWARD_MAX_AGE_MS = 60_000;

const VERSION = 'kg1';
const TOKEN = /^kg1\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/;

/** Where the signed identity travels, and the secret it is signed with. */
export interface ForwardOptions {
  /**
   * HMAC secret shared by the middleware and the routes (default: `process.env.KEYGUARD_FORWARD_SECRET`).
   * @default process.env.KEYGUARD_FORWARD_SECRET
   */
  secret?: string;
  /**
   * Request header name (default `x-keyguard-api-key`).
   * @default 'x-keyguard-api-key'
   */
  header?: string;
}

/** How `apiKeyFromHeaders` reads a forwarded identity. */
export interface ReadForwardedOptions extends ForwardOptions {
  /**
   * Refuse identities signed longer ago than this (default 60 s).
   * @default 60_000
   */
  maxAgeMs?: number;
  /**
   * The current time in unix ms (default `Date.now()`).
   * @default Date.now()
   */
  now?: number;
}

interface ForwardedPayload {
  /** Signed at (unix ms). */
  iat: number;
  key: VerifiedKey;
}

/** The forwarding secret from the options or the environment; throws when it is missing or too short. */
export function resolveForwardSecret(secret: string | undefined): string {
  const value = secret ?? (typeof process === 'undefined' ? undefined : process.env?.[FORWARD_SECRET_ENV]);
  if (typeof value !== 'string' || value.length === 0) {
    throw new ConfigurationError(`forwarding the API key needs a secret: pass { secret } or set ${FORWARD_SECRET_ENV}`);
  }
  if (value.length < MIN_FORWARD_SECRET_LENGTH) {
    throw new ConfigurationError(`the forwarding secret must be at least ${MIN_FORWARD_SECRET_LENGTH} characters long`);
  }
  return value;
}

/** Normalises a header name the way `Headers` does, and refuses names that cannot be headers. */
export function resolveForwardHeader(header: string | undefined): string {
  const name = (header ?? DEFAULT_FORWARD_HEADER).toLowerCase();
  if (!/^[!#$%&'*+.^_`|~0-9a-z-]+$/.test(name)) throw new ConfigurationError(`"${name}" is not a valid header name`);
  return name;
}

const encoder = new TextEncoder();
// The last secret's imported key: one secret per application, so one entry suffices.
let cachedKey: { secret: string; key: Promise<CryptoKey> } | undefined;

function hmacKey(secret: string): Promise<CryptoKey> {
  if (cachedKey?.secret !== secret) {
    const key = crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, [
      'sign',
      'verify',
    ]);
    cachedKey = { secret, key };
  }
  return cachedKey.key;
}

/** Signs a verified key for forwarding: `kg1.<payload>.<HMAC-SHA-256>`, base64url, header-safe. */
export async function signApiKey(
  apiKey: VerifiedKey,
  options: { secret?: string; now?: number } = {},
): Promise<string> {
  const secret = resolveForwardSecret(options.secret);
  const payload: ForwardedPayload = { iat: options.now ?? Date.now(), key: apiKey };
  const signed = `${VERSION}.${toBase64Url(encoder.encode(JSON.stringify(payload)))}`;
  const signature = new Uint8Array(await crypto.subtle.sign('HMAC', await hmacKey(secret), encoder.encode(signed)));
  return `${signed}.${toBase64Url(signature)}`;
}

/** Checks a forwarded value's signature and age; answers the key, or undefined for anything else. */
export async function verifySignedApiKey(
  value: string,
  options: ReadForwardedOptions = {},
): Promise<VerifiedKey | undefined> {
  const secret = resolveForwardSecret(options.secret);
  const match = TOKEN.exec(value);
  if (!match) return undefined;
  const [, payloadText, signatureText] = match as unknown as [string, string, string];
  const valid = await crypto.subtle.verify(
    'HMAC',
    await hmacKey(secret),
    fromBase64Url(signatureText),
    encoder.encode(`${VERSION}.${payloadText}`),
  );
  if (!valid) return undefined;
  let payload: ForwardedPayload;
  try {
    payload = JSON.parse(new TextDecoder().decode(fromBase64Url(payloadText))) as ForwardedPayload;
  } catch {
    return undefined;
  }
  const now = options.now ?? Date.now();
  const maxAgeMs = options.maxAgeMs ?? DEFAULT_FORWARD_MAX_AGE_MS;
  if (typeof payload?.iat !== 'number' || Math.abs(now - payload.iat) > maxAgeMs) return undefined;
  if (typeof payload.key !== 'object' || payload.key === null || typeof payload.key.id !== 'string') return undefined;
  return payload.key;
}

function headerOf(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const value = (headers as Record<string, string | string[] | undefined>)[name];
  // A header sent twice is not ours: the middleware sets exactly one value.
  return Array.isArray(value) ? undefined : value;
}

/**
 * Reads the identity `keyguardMiddleware` forwarded to this route. Answers undefined when the header is
 * absent, forged (bad signature), or stale, so a client can never pose as a key it does not hold.
 * `headers`: the route's `request.headers`, Next's `headers()`, or a Pages `req.headers`.
 */
export async function apiKeyFromHeaders(
  headers: HeaderBag,
  options: ReadForwardedOptions = {},
): Promise<VerifiedKey | undefined> {
  const secret = resolveForwardSecret(options.secret);
  const value = headerOf(headers, resolveForwardHeader(options.header));
  if (value === undefined || value === '') return undefined;
  return verifySignedApiKey(value, { ...options, secret });
}
