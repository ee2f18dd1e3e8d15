import type { HeaderBag } from '../types.js';
import type { KeySource, ReadKeyOptions, ReadKeyResult, ReadingFailure } from './types.js';
import { headerValue, isRepeated } from './header-value.js';

/** Where keys are looked for unless told otherwise: `Authorization: Bearer`, then the `x-api-key` header. */
export const DEFAULT_KEY_SOURCES: readonly KeySource[] = Object.freeze([
  'bearer',
  Object.freeze({ header: 'x-api-key' }),
]);
/** The longest key read unless told otherwise (Unkey's limit); a longer one is `too_long`. */
export const MAX_KEY_LENGTH = 512;
/** RFC 6750 §2.1 b64token. */
export const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/;

type Failure = { readonly failure: ReadingFailure };
// Failures are shared frozen objects: readKey runs on every request, so the common outcomes allocate nothing.
const MISSING: Failure = Object.freeze({ failure: 'missing' });
const OTHER_SCHEME: Failure = Object.freeze({ failure: 'other_scheme' });
const MALFORMED: Failure = Object.freeze({ failure: 'malformed' });
const AMBIGUOUS: Failure = Object.freeze({ failure: 'ambiguous' });
const TOO_LONG: Failure = Object.freeze({ failure: 'too_long' });

/**
 * What one source holds: nothing, a key, or a credential that cannot be used. `OTHER_SCHEME` counts as nothing
 * (another source may hold the key) but is remembered for the answer when no source does.
 */
type SourceReading = undefined | string | Failure;

function checkToken(token: string, maxLength: number): string | Failure {
  if (token.length === 0) return MALFORMED;
  // Length first: the regex never runs over an oversized value.
  if (token.length > maxLength) return TOO_LONG;
  return B64TOKEN.test(token) ? token : MALFORMED;
}

/** One header value, or a failure when a record holds it more than once. */
function singleValue(value: string | string[] | undefined): string | undefined | Failure {
  if (!Array.isArray(value)) return value;
  if (value.length > 1) return AMBIGUOUS;
  return value[0];
}

const BEARER = 'bearer';

/** `value` starts with `Bearer` in any case; compared in place, since this runs on every request. */
function startsWithBearer(value: string): boolean {
  if (value.length < BEARER.length) return false;
  for (let index = 0; index < BEARER.length; index++) {
    if ((value.charCodeAt(index) | 0x20) !== BEARER.charCodeAt(index)) return false;
  }
  return true;
}

/**
 * A comma cannot be part of a key (b64token), but it is how HTTP joins a header sent twice (RFC 9110 §5.3): Node
 * joins `x-api-key` lines so, fetch's `Headers` joins every header so, and proxies may. A credential value with a
 * comma is therefore read as several credentials, the same answer whichever runtime joined them.
 */
const hasComma = (value: string): boolean => value.indexOf(',') !== -1;

/** `Basic x, Bearer y`: a Bearer credential after another one, as a joined header shows it. */
const LATER_BEARER = /,[ \t]*bearer( |$)/i;

/**
 * RFC 6750 §2.1: `Bearer` (any case), one or more spaces, a b64token. Another scheme holds no bearer key. Two
 * Authorization lines are `ambiguous` whatever their schemes: doubled credentials (RFC 6750 §2).
 */
function readBearer(headers: HeaderBag, maxLength: number, rawHeaders: readonly string[] | undefined): SourceReading {
  const value = singleValue(headerValue(headers, 'authorization'));
  if (value === undefined || typeof value !== 'string') return value;
  if (rawHeaders !== undefined && isRepeated(rawHeaders, 'authorization')) return AMBIGUOUS;
  if (!startsWithBearer(value) || (value.length > BEARER.length && value.charCodeAt(BEARER.length) !== 0x20)) {
    // e.g. `Basic …`, `Bearerx …`, or a key sent without a scheme.
    if (value.length === 0) return undefined;
    return hasComma(value) && LATER_BEARER.test(value) ? AMBIGUOUS : OTHER_SCHEME;
  }
  if (value.length === BEARER.length) return MALFORMED;
  if (hasComma(value)) return AMBIGUOUS;
  let start = BEARER.length;
  while (value.charCodeAt(start) === 0x20) start++;
  if (value.length - start > maxLength) return TOO_LONG;
  return checkToken(value.slice(start), maxLength);
}

function readHeader(
  headers: HeaderBag,
  lowerName: string,
  maxLength: number,
  rawHeaders: readonly string[] | undefined,
): SourceReading {
  const value = singleValue(headerValue(headers, lowerName));
  if (value === undefined || typeof value !== 'string') return value;
  if (hasComma(value) || (rawHeaders !== undefined && isRepeated(rawHeaders, lowerName))) return AMBIGUOUS;
  return checkToken(value, maxLength);
}

function queryParameters(url: string | undefined): URLSearchParams | undefined {
  if (url === undefined) return undefined;
  const start = url.indexOf('?');
  if (start === -1) return undefined;
  const hash = url.indexOf('#', start);
  return new URLSearchParams(hash === -1 ? url.slice(start + 1) : url.slice(start + 1, hash));
}

function readQuery(parameters: URLSearchParams | undefined, name: string, maxLength: number): SourceReading {
  if (!parameters) return undefined;
  const values = parameters.getAll(name);
  if (values.length === 0) return undefined;
  if (values.length > 1) return AMBIGUOUS;
  return checkToken(values[0]!, maxLength);
}

/**
 * Finds the API key of a request (RFC 6750 §2): looks in every configured source, and answers the key with the
 * source it came from, or why there is none. A credential in more than one source is `ambiguous`, even when the
 * values are equal, and so is a header sent twice. No source is treated as authoritative, so a bad bearer credential
 * is never hidden by a good `x-api-key`.
 */
export function readKey(headers: HeaderBag, options?: ReadKeyOptions): ReadKeyResult {
  const sources = options?.sources ?? DEFAULT_KEY_SOURCES;
  const maxLength = options?.maxLength ?? MAX_KEY_LENGTH;
  const rawHeaders = options?.rawHeaders;
  let sawOtherScheme = false;
  let parameters: URLSearchParams | undefined;
  let parsedUrl = false;
  let found: SourceReading;
  let foundSource: KeySource | undefined;

  for (const source of sources) {
    let reading: SourceReading;
    if (source === 'bearer') {
      reading = readBearer(headers, maxLength, rawHeaders);
    } else if ('header' in source) {
      reading = readHeader(headers, source.header.toLowerCase(), maxLength, rawHeaders);
    } else {
      // Parsed lazily, once: most configurations have no query source and never pay for it.
      if (!parsedUrl) {
        parameters = queryParameters(options?.url);
        parsedUrl = true;
      }
      reading = readQuery(parameters, source.query, maxLength);
    }
    if (reading === undefined) continue;
    if (reading === OTHER_SCHEME) {
      sawOtherScheme = true;
      continue;
    }
    if (foundSource !== undefined) return AMBIGUOUS;
    found = reading;
    foundSource = source;
  }

  if (found === undefined || foundSource === undefined) return sawOtherScheme ? OTHER_SCHEME : MISSING;
  return typeof found === 'string' ? { key: found, source: foundSource } : found;
}
