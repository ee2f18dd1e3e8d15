import { METRICS_ACCESS } from './metrics-access.js';
import type { MetricsAccess } from './options.js';
import { isUsableClerkSecretKey } from '../clerk/secret-key.js';
import { DASHBOARD_PATH_REQUIREMENT, isUsableDashboardOption } from '../dashboard/options.js';
import { KeyServerOptionError } from './errors.js';
import { isUsableRootKey } from './bootstrap.js';
import type { KeyServerOptions } from './options.js';

const isWholeNumber = (value: unknown, min: number, max = Number.MAX_SAFE_INTEGER): boolean =>
  typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max;

export const REQUEST_QUOTA_REQUIREMENT = 'must be { limit: a whole number ≥ 1, duration: whole milliseconds ≥ 1000 }';

/** A request quota the server can keep: at least one request per window of at least a second. */
export const isUsableRequestQuota = (value: unknown): boolean =>
  typeof value === 'object' &&
  value !== null &&
  isWholeNumber((value as { limit?: unknown }).limit, 1) &&
  isWholeNumber((value as { duration?: unknown }).duration, 1000);

/** Throws a `KeyServerOptionError` for the first unusable option; called once, when the server is created. */
export function validateOptions(options: KeyServerOptions): void {
  const check = (name: keyof KeyServerOptions, usable: (value: never) => boolean, requirement: string) => {
    const value = options[name];
    if (value !== undefined && !usable(value as never)) throw new KeyServerOptionError(name, requirement);
  };
  check('database', (value: unknown) => typeof value === 'string', 'must be a file path or ":memory:"');
  check('host', (value: unknown) => typeof value === 'string' && value.length > 0, 'must be a host name or address');
  check(
    'port',
    (value: unknown) => isWholeNumber(value, 0, 65_535),
    'must be a port number, 0..65535 (0: a free port)',
  );
  check(
    'rootKey',
    (value: unknown) => typeof value === 'string' && isUsableRootKey(value),
    'must be 16..512 characters of letters, digits and -._~+/',
  );
  check(
    'clerkSecretKey',
    (value: unknown) => typeof value === 'string' && isUsableClerkSecretKey(value),
    'must be sk_test_ or sk_live_ followed by 16..256 letters, digits, "_" or "-"',
  );
  check('secret', (value: unknown) => typeof value === 'string' && value.length > 0, 'must be a non-empty string');
  check('maxBodyBytes', (value: unknown) => isWholeNumber(value, 1), 'must be a whole number of bytes, at least 1');
  check('maxDiscardBytes', (value: unknown) => isWholeNumber(value, 0), 'must be a whole number of bytes, 0 or more');
  check(
    'discardTimeoutMs',
    (value: unknown) => isWholeNumber(value, 0),
    'must be a whole number of milliseconds, 0 or more',
  );
  check(
    'stopTimeoutMs',
    (value: unknown) => isWholeNumber(value, 0),
    'must be a whole number of milliseconds, 0 or more',
  );
  check('requestQuota', isUsableRequestQuota, REQUEST_QUOTA_REQUIREMENT);
  check('dashboard', isUsableDashboardOption, DASHBOARD_PATH_REQUIREMENT);
  check(
    'auditMaxEntries',
    (value: unknown) => isWholeNumber(value, 1),
    'must be a whole number of entries, at least 1',
  );
  check('auditMaxAgeMs', (value: unknown) => isWholeNumber(value, 1000), 'must be whole milliseconds, at least 1000');
  check('clock', (value: unknown) => typeof value === 'function', 'must be a function answering unix milliseconds');
  check('metrics', (value: unknown) => typeof value === 'boolean', 'must be true or false (GET /metrics on or off)');
  check(
    'metricsAccess',
    (value: unknown) => METRICS_ACCESS.includes(value as MetricsAccess),
    `must be one of ${METRICS_ACCESS.join(', ')}`,
  );
  check(
    'logger',
    (value: unknown) =>
      typeof value === 'object' &&
      value !== null &&
      ['info', 'warn', 'error'].every((level) => typeof (value as Record<string, unknown>)[level] === 'function'),
    'must have info, warn and error functions',
  );
}
