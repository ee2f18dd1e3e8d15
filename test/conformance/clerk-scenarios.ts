import { clerkMachineRows } from './clerk-machine-rows.js';
import type { ClerkScenarioKeys } from './key-services/clerk.js';
import { guardRows, optionalRows, readingRows, serviceDownRows, unknownKeyRow } from './scenarios.js';
import { INVALID_TOKEN, denied } from './table.js';
import type { Scenario } from './table.js';

/**
 * What only a Clerk key service says. Clerk's verify answers 404 for unknown, revoked and expired keys alike
 * (docs/clerk-api-keys.md), so a revoked or an expired key is "not known" here: the same status, challenge and
 * problem type as Unkey's expired key, but code NOT_FOUND, since nothing on the wire tells the cases apart.
 */
const clerkAnswerRows: Scenario<ClerkScenarioKeys>[] = [
  {
    name: 'token without the ak_ prefix: rejected before any call',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.unprefixed }),
    local: true,
    expected: denied('INVALID_KEY_FORMAT', { 'www-authenticate': INVALID_TOKEN }),
  },
  {
    name: 'revoked key',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.revoked }),
    expected: denied('NOT_FOUND', { 'www-authenticate': INVALID_TOKEN }, { requestId: true }),
  },
  {
    name: 'expired key (Clerk answers 404: not known)',
    route: '/protected',
    headers: (k) => ({ 'x-api-key': k.expired }),
    expected: denied('NOT_FOUND', { 'www-authenticate': INVALID_TOKEN }, { requestId: true }),
  },
];

/**
 * The table in Clerk mode (the local key service's `/v1/api_keys`, M2M and OAuth endpoints, harnesses accepting all
 * three kinds); scopes are the permissions the guard checks.
 */
export const clerkScenarios: Scenario<ClerkScenarioKeys>[] = [
  // With M2M JWTs accepted, clerk() reads tokens up to 4096 characters: its own rows say what 513 and 4097 get.
  ...readingRows.filter((row) => row.name !== 'key of 513 characters'),
  unknownKeyRow,
  ...clerkAnswerRows,
  ...serviceDownRows,
  ...optionalRows,
  ...guardRows,
  ...clerkMachineRows,
];
