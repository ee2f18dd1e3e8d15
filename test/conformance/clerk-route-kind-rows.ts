import { GUARD_QUERY } from './fixtures.js';
import type { ClerkScenarioKeys } from './key-services/clerk.js';
import { INSUFFICIENT_SCOPE, INVALID_TOKEN, denied } from './table.js';
import type { Scenario } from './table.js';

/** A 200 of `/machines` or `/api-keys`: the key's table id and the kind it was verified as. */
function passedAs(apiKeyId: string, kind: string): Scenario['expected'] {
  return { status: 200, headers: { 'content-type': 'application/json' }, body: { apiKey: apiKeyId, kind } };
}

/**
 * A key the provider verified, of a kind the route does not take: 401 `invalid_token` (RFC 6750, section 3.1), the
 * detail naming the kinds the route accepts, and those kinds in the body.
 */
function wrongKind(accepts: string, kind: string): Scenario['expected'] {
  const expected = denied(
    'INVALID_KEY_FORMAT',
    { 'www-authenticate': INVALID_TOKEN },
    { detail: `This route accepts ${accepts} credentials; this one is ${kind}.` },
  );
  return { ...expected, body: { ...(expected.body as object), accepts: [accepts] } };
}

/**
 * Routes that take one kind each (`/machines`: `m2m_token`, `/api-keys`: `api_key`), by each adapter's per-route
 * `accepts`, beside `clerk({ accepts: ['api_key', 'm2m_token', 'oauth_token'] })`. A kind the provider verifies is
 * verified first (one call), then refused by the route; a token of a kind the provider does not take, or of no
 * known prefix, is refused before any call (`local`).
 */
export const clerkRouteKindRows: Scenario<ClerkScenarioKeys>[] = [
  {
    name: 'opaque M2M token on the machines-only route',
    route: '/machines',
    headers: (k) => ({ authorization: `Bearer ${k.m2m}` }),
    expected: passedAs('key_m2m', 'm2m_token'),
  },
  {
    name: 'M2M JWT on the machines-only route, verified locally',
    route: '/machines',
    headers: (k) => ({ authorization: `Bearer ${k.m2mJwt}` }),
    local: true,
    expected: passedAs('key_m2m_jwt', 'm2m_token'),
  },
  {
    name: 'API key on the machines-only route: verified, then refused naming m2m_token',
    route: '/machines',
    headers: (k) => ({ 'x-api-key': k.reader }),
    expected: wrongKind('m2m_token', 'api_key'),
  },
  {
    name: 'OAuth access token on the machines-only route: refused naming m2m_token',
    route: '/machines',
    headers: (k) => ({ authorization: `Bearer ${k.oauth}` }),
    expected: wrongKind('m2m_token', 'oauth_token'),
  },
  {
    name: 'API key on the API-keys-only route (which also checks docs.write)',
    route: '/api-keys',
    headers: (k) => ({ 'x-api-key': k.writer }),
    expected: passedAs('key_writer', 'api_key'),
  },
  {
    name: 'API key of the right kind without docs.write on the API-keys-only route: the permission check still holds',
    route: '/api-keys',
    headers: (k) => ({ 'x-api-key': k.reader }),
    expected: denied('INSUFFICIENT_PERMISSIONS', {
      'www-authenticate': `${INSUFFICIENT_SCOPE}, scope="${GUARD_QUERY}"`,
    }),
  },
  {
    name: 'opaque M2M token on the API-keys-only route: refused naming api_key, before its permissions are asked',
    route: '/api-keys',
    headers: (k) => ({ authorization: `Bearer ${k.m2m}` }),
    expected: wrongKind('api_key', 'm2m_token'),
  },
  {
    name: 'M2M JWT on the API-keys-only route: refused naming api_key, no verification request',
    route: '/api-keys',
    headers: (k) => ({ authorization: `Bearer ${k.m2mJwt}` }),
    local: true,
    expected: wrongKind('api_key', 'm2m_token'),
  },
  {
    name: 'a Clerk secret key (a kind no route accepts) on the machines-only route: refused before any call',
    route: '/machines',
    headers: () => ({ authorization: `Bearer sk_test_${'k'.repeat(40)}` }),
    local: true,
    expected: denied('INVALID_KEY_FORMAT', { 'www-authenticate': INVALID_TOKEN }),
  },
  {
    name: 'a token of no known prefix on the API-keys-only route: refused before any call',
    route: '/api-keys',
    headers: () => ({ authorization: `Bearer zz_${'u'.repeat(40)}` }),
    local: true,
    expected: denied('INVALID_KEY_FORMAT', { 'www-authenticate': INVALID_TOKEN }),
  },
];
