import { KEY_IDS } from './key-services/key-service.js';
import type { UnkeyScenarioKeys } from './key-services/unkey.js';
import { guardRows, optionalRows, readingRows, serviceDownRows, unknownKeyRow } from './scenarios.js';
import { INSUFFICIENT_SCOPE, INVALID_TOKEN, deltaSeconds, denied, passedWith } from './table.js';
import type { Scenario } from './table.js';

const RATE_LIMIT_STATE = {
  'ratelimit-limit': '1',
  'ratelimit-remaining': '0',
  'ratelimit-reset': deltaSeconds(60),
  'ratelimit-policy': '1;w=60',
};

/** What only Unkey's verifyKey says: expired, disabled, forbidden keys, permissions it checked, rate limits, credits. */
const unkeyAnswerRows: Scenario<UnkeyScenarioKeys>[] = [
  {
    name: 'expired key',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.expired }),
    expected: denied('EXPIRED', { 'www-authenticate': INVALID_TOKEN }, { requestId: true }),
  },
  {
    name: 'disabled key',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.disabled }),
    expected: denied('DISABLED', { 'www-authenticate': INVALID_TOKEN }, { requestId: true }),
  },
  {
    name: 'forbidden key (no challenge)',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.forbidden }),
    expected: denied('FORBIDDEN', {}, { requestId: true }),
  },
  {
    name: 'insufficient permissions answered by the key service',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.lacksPermissions }),
    expected: denied('INSUFFICIENT_PERMISSIONS', { 'www-authenticate': INSUFFICIENT_SCOPE }, { requestId: true }),
  },
  {
    name: 'metered key within its rate limit: RateLimit headers on the answer',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.limited }),
    expected: passedWith(KEY_IDS.limited, RATE_LIMIT_STATE),
  },
  {
    name: 'rate limited: 429 with Retry-After and RateLimit headers',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.limited }),
    warmUps: 1,
    expected: denied('RATE_LIMITED', { 'retry-after': deltaSeconds(60), ...RATE_LIMIT_STATE }, { requestId: true }),
  },
  {
    name: 'usage exceeded: 429, no known retry time',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.exhausted }),
    expected: denied('USAGE_EXCEEDED', {}, { requestId: true }),
  },
];

/** The table in Unkey mode (the fake Unkey service of test/support). */
export const unkeyScenarios: Scenario<UnkeyScenarioKeys>[] = [
  ...readingRows,
  unknownKeyRow,
  ...unkeyAnswerRows,
  ...serviceDownRows,
  ...optionalRows,
  ...guardRows,
];
