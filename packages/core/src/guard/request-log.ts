import type { Denial } from '../http/types.js';
import { requestIdOf } from '../logging/request-id.js';
import { logsAt, writeLog } from '../logging/write-log.js';
import type { Logger, Verification } from '../types.js';
import type { RequestParts } from './types.js';

/** The fields of a verification worth a log line: never the key, never its digest. */
function verificationFields(fields: Record<string, unknown>, verification: Verification): void {
  fields.code = verification.code;
  fields.source = verification.source;
  const keyId = verification.key?.id ?? verification.keyId;
  if (keyId !== undefined) fields.keyId = keyId;
  if (verification.requestId !== undefined) fields.providerRequestId = verification.requestId;
}

function requestFields(request: RequestParts): Record<string, unknown> {
  const requestId = requestIdOf(request.requestId, request.headers);
  return requestId === undefined ? {} : { requestId };
}

/**
 * One debug line per denied request, through the request's logger (Fastify's `request.log`) or the adapter's: why
 * (the reading failure or the verification code), where the answer came from, the key id and the request ids.
 * Debug, because a flood of bad keys must not flood the logs; an outage has its own lines from the verifier.
 */
export function logDenial(logger: Logger | undefined, request: RequestParts, denial: Denial, status: number): void {
  if (!logger || !logsAt(logger, 'debug')) return;
  const fields = requestFields(request);
  fields.status = status;
  fields.reason = denial.reason;
  if (denial.reason === 'verification') verificationFields(fields, denial.verification);
  writeLog(logger, 'debug', 'keyguard: request denied', fields);
}

/** One debug line per request let through without a key because the key service could not answer (`fail-open`). */
export function logFailedOpen(logger: Logger | undefined, request: RequestParts, verification: Verification): void {
  if (!logger || !logsAt(logger, 'debug')) return;
  const fields = requestFields(request);
  verificationFields(fields, verification);
  writeLog(
    logger,
    'debug',
    'keyguard: request let through without a key: the key service could not answer (fail-open)',
    fields,
  );
}
