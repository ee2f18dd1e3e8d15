import { GUARD_QUERY } from './fixtures.js';
import { KEY_IDS } from './key-services/key-service.js';
import {
  BEARER_EXPECTED_DETAIL,
  CHALLENGE,
  INSUFFICIENT_SCOPE,
  INVALID_REQUEST,
  INVALID_TOKEN,
  denied,
  passedWith,
} from './table.js';
import type { Scenario } from './table.js';

/**
 * The rows every provider mode shares: the same situation gets the same answer whichever key service is asked.
 * Each mode's table (unkey-scenarios.ts, clerk-scenarios.ts) is these plus what only its service can say.
 * Adding an adapter adds a harness (./harnesses/), never a row here.
 */

/** Reading the key (RFC 6750 §2); failures to read are answered before any key service is asked. */
export const readingRows: Scenario[] = [
  {
    name: 'no key',
    route: '/protected',
    local: true,
    expected: denied('MISSING_KEY', { 'www-authenticate': CHALLENGE }),
  },
  {
    name: 'x-api-key',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.reader }),
    expected: passedWith(KEY_IDS.reader),
  },
  {
    name: 'Authorization: Bearer',
    route: '/protected',
    headers: (k) => ({ authorization: `Bearer ${k.reader}` }),
    expected: passedWith(KEY_IDS.reader),
  },
  {
    name: 'Authorization: bearer (lower case)',
    route: '/protected',
    headers: (k) => ({ authorization: `bearer ${k.reader}` }),
    expected: passedWith(KEY_IDS.reader),
  },
  {
    name: 'Authorization: BEARER (upper case)',
    route: '/protected',
    headers: (k) => ({ authorization: `BEARER ${k.reader}` }),
    expected: passedWith(KEY_IDS.reader),
  },
  {
    name: 'Authorization: Bearer with several spaces',
    route: '/protected',
    headers: (k) => ({ authorization: `Bearer   ${k.reader}` }),
    expected: passedWith(KEY_IDS.reader),
  },
  {
    name: 'another scheme (Basic) is no key: 401 without an error code, Bearer named in the detail',
    route: '/protected',
    headers: () => ({ authorization: 'Basic dXNlcjpwYXNzd29yZA==' }),
    local: true,
    expected: denied('MISSING_KEY', { 'www-authenticate': CHALLENGE }, { detail: BEARER_EXPECTED_DETAIL }),
  },
  {
    name: 'a key in Authorization without the Bearer scheme is no key: 401 without an error code, Bearer named in the detail',
    route: '/protected',
    headers: (k) => ({ authorization: k.reader }),
    local: true,
    expected: denied('MISSING_KEY', { 'www-authenticate': CHALLENGE }, { detail: BEARER_EXPECTED_DETAIL }),
  },
  {
    name: 'Bearer without a token',
    route: '/protected',
    headers: () => ({ authorization: 'Bearer' }),
    local: true,
    expected: denied('MALFORMED_KEY', { 'www-authenticate': INVALID_REQUEST }),
  },
  {
    name: 'bearer token outside the b64token charset',
    route: '/protected',
    headers: () => ({ authorization: 'Bearer sk_bad$key!with*chars' }),
    local: true,
    expected: denied('MALFORMED_KEY', { 'www-authenticate': INVALID_REQUEST }),
  },
  {
    name: 'x-api-key outside the b64token charset',
    route: '/protected',
    headers: () => ({ 'x-api-key': 'sk_bad key;with spaces' }),
    local: true,
    expected: denied('MALFORMED_KEY', { 'www-authenticate': INVALID_REQUEST }),
  },
  {
    name: 'key of 513 characters',
    route: '/protected',
    headers: () => ({ authorization: `Bearer sk_${'a'.repeat(510)}` }),
    local: true,
    expected: denied('KEY_TOO_LONG', { 'www-authenticate': INVALID_REQUEST }),
  },
  {
    name: 'key of 512 characters is read and verified',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.longest }),
    expected: denied('NOT_FOUND', { 'www-authenticate': INVALID_TOKEN }, { requestId: true }),
  },
  {
    name: 'key in two places (bearer and x-api-key), even the same key',
    route: '/protected',
    headers: (k) => ({ authorization: `Bearer ${k.reader}`, 'x-api-key': k.reader }),
    local: true,
    expected: denied('AMBIGUOUS_KEY', { 'www-authenticate': INVALID_REQUEST }),
  },
  // Node keeps only the first Authorization line in `req.headers`; the second must not be ignored either way round.
  {
    name: 'Authorization sent twice, valid key first',
    route: '/protected',
    headers: (k) => ({ authorization: [`Bearer ${k.reader}`, `Bearer ${k.unknown}`] }),
    local: true,
    expected: denied('AMBIGUOUS_KEY', { 'www-authenticate': INVALID_REQUEST }),
  },
  {
    name: 'Authorization sent twice, valid key second',
    route: '/protected',
    headers: (k) => ({ authorization: [`Bearer ${k.unknown}`, `Bearer ${k.reader}`] }),
    local: true,
    expected: denied('AMBIGUOUS_KEY', { 'www-authenticate': INVALID_REQUEST }),
  },
  {
    name: 'Authorization sent twice, another scheme first',
    route: '/protected',
    headers: (k) => ({ authorization: ['Basic dXNlcjpwYXNzd29yZA==', `Bearer ${k.reader}`] }),
    local: true,
    expected: denied('AMBIGUOUS_KEY', { 'www-authenticate': INVALID_REQUEST }),
  },
  {
    name: 'x-api-key sent twice, even the same key',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': [k.reader, k.reader] }),
    local: true,
    expected: denied('AMBIGUOUS_KEY', { 'www-authenticate': INVALID_REQUEST }),
  },
];

export const unknownKeyRow: Scenario = {
  name: 'unknown key',
  route: '/protected',
  headers: (k) => ({ 'x-api-key': k.unknown }),
  expected: denied('NOT_FOUND', { 'www-authenticate': INVALID_TOKEN }, { requestId: true }),
};

/** The key service failing or unreachable, nothing cached: fail closed. */
export const serviceDownRows: Scenario[] = [
  {
    name: 'key service down, key not cached: 503 with Retry-After',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.reader }),
    fault: { kind: 'status', status: 500 },
    expected: denied('PROVIDER_UNAVAILABLE', { 'retry-after': '1' }),
  },
  {
    name: 'key service refusing connections: 503 with Retry-After',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.reader }),
    fault: { kind: 'destroy-before-answer' },
    expected: denied('PROVIDER_UNAVAILABLE', { 'retry-after': '1' }),
  },
];

export const optionalRows: Scenario[] = [
  { name: 'optional route without a key', route: '/optional', local: true, expected: passedWith(null) },
  {
    name: 'optional route with a key',
    route: '/optional',
    headers: (k) => ({ authorization: `Bearer ${k.reader}` }),
    expected: passedWith(KEY_IDS.reader),
  },
  {
    name: 'optional route with another scheme (Basic)',
    route: '/optional',
    headers: () => ({ authorization: 'Basic dXNlcjpwYXNzd29yZA==' }),
    local: true,
    expected: passedWith(null),
  },
  {
    name: 'optional route with Authorization sent twice',
    route: '/optional',
    headers: (k) => ({ authorization: [`Bearer ${k.unknown}`, `Bearer ${k.reader}`] }),
    local: true,
    expected: denied('AMBIGUOUS_KEY', { 'www-authenticate': INVALID_REQUEST }),
  },
  {
    name: 'optional route with an unknown key',
    route: '/optional',
    headers: (k) => ({ 'x-api-key': k.unknown }),
    expected: denied('NOT_FOUND', { 'www-authenticate': INVALID_TOKEN }, { requestId: true }),
  },
  {
    name: 'optional route with a malformed key',
    route: '/optional',
    headers: () => ({ authorization: 'Bearer sk_bad$key' }),
    local: true,
    expected: denied('MALFORMED_KEY', { 'www-authenticate': INVALID_REQUEST }),
  },
];

/** The permission guard (`GUARD_QUERY`), evaluated locally on the verified key's permissions. */
export const guardRows: Scenario[] = [
  {
    name: 'permission guard passing',
    route: '/guarded',
    headers: (k) => ({ 'x-api-key': k.writer }),
    expected: passedWith(KEY_IDS.writer),
  },
  {
    name: 'permission guard failing: 403 insufficient_scope naming the scope',
    route: '/guarded',
    headers: (k) => ({ 'x-api-key': k.reader }),
    expected: denied('INSUFFICIENT_PERMISSIONS', {
      'www-authenticate': `${INSUFFICIENT_SCOPE}, scope="${GUARD_QUERY}"`,
    }),
  },
  {
    name: 'permission guard without a key',
    route: '/guarded',
    local: true,
    expected: denied('MISSING_KEY', { 'www-authenticate': CHALLENGE }),
  },
];
