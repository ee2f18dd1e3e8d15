import type { ClerkScenarioKeys } from './key-services/clerk.js';
import { INVALID_REQUEST, INVALID_TOKEN, denied, passedWith } from './table.js';
import type { Scenario } from './table.js';

/**
 * Clerk's machine tokens on one route beside API keys (the harnesses verify with `clerk({ accepts: ['api_key',
 * 'm2m_token', 'oauth_token'] })`): each kind at its own endpoint, or an M2M JWT locally against the JWKS, which no
 * verification request reaches (`local`). Rows run in this order on every harness, so the JWKS is cached by the
 * time the key service goes down.
 */
export const clerkMachineRows: Scenario<ClerkScenarioKeys>[] = [
  {
    name: 'opaque M2M token on the route that takes API keys',
    route: '/protected',
    headers: (k) => ({ authorization: `Bearer ${k.m2m}` }),
    expected: passedWith('key_m2m'),
  },
  {
    name: 'OAuth access token on the same route',
    route: '/protected',
    headers: (k) => ({ authorization: `Bearer ${k.oauth}` }),
    expected: passedWith('key_oauth'),
  },
  {
    name: 'M2M JWT, verified locally: no verification request',
    route: '/protected',
    headers: (k) => ({ authorization: `Bearer ${k.m2mJwt}` }),
    local: true,
    expected: passedWith('key_m2m_jwt'),
  },
  {
    name: 'M2M JWT past its exp',
    route: '/protected',
    headers: (k) => ({ authorization: `Bearer ${k.expiredJwt}` }),
    local: true,
    expected: denied('EXPIRED', { 'www-authenticate': INVALID_TOKEN }),
  },
  {
    name: 'M2M JWT before its nbf (beyond the clock skew)',
    route: '/protected',
    headers: (k) => ({ authorization: `Bearer ${k.earlyJwt}` }),
    local: true,
    expected: denied('NOT_FOUND', { 'www-authenticate': INVALID_TOKEN }),
  },
  {
    name: 'M2M JWT under a kid the JWKS lacks: refetched, then not known',
    route: '/protected',
    headers: (k) => ({ authorization: `Bearer ${k.unknownKidJwt}` }),
    local: true,
    expected: denied('NOT_FOUND', { 'www-authenticate': INVALID_TOKEN }),
  },
  {
    name: 'M2M JWT while the key service (and its JWKS) is down: the cached keys verify it',
    route: '/protected',
    headers: (k) => ({ authorization: `Bearer ${k.m2mJwt}` }),
    fault: { kind: 'status', status: 503 },
    local: true,
    expected: passedWith('key_m2m_jwt'),
  },
  {
    name: 'token of 513 characters: read (M2M JWTs are longer), of no Clerk kind, rejected before any call',
    route: '/protected',
    headers: () => ({ authorization: `Bearer sk_${'a'.repeat(510)}` }),
    local: true,
    expected: denied('INVALID_KEY_FORMAT', { 'www-authenticate': INVALID_TOKEN }),
  },
  {
    name: 'token of 4097 characters: past the longest clerk() reads',
    route: '/protected',
    headers: (k) => ({ authorization: `Bearer ${k.pastLongest}` }),
    local: true,
    expected: denied('KEY_TOO_LONG', { 'www-authenticate': INVALID_REQUEST }),
  },
];
