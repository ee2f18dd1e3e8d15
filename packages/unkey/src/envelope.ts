import { isRecord, parseJsonObject, parseRetryAfter } from '@keyguard/core/service';
import type { HttpResponse, Redact } from '@keyguard/core/service';
import { UnkeyApiError, unkeyErrorCode, type UnkeyErrorItem } from './errors.js';
import type { UnkeyMeta, UnkeyPagination } from './wire.js';

/** A success envelope, unwrapped. */
export interface Envelope<T> {
  meta: UnkeyMeta;
  data: T;
  pagination?: UnkeyPagination;
}

const stringOr = <T>(value: unknown, fallback: T): string | T => (typeof value === 'string' ? value : fallback);

const STATUS_TITLES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  410: 'Gone',
  412: 'Precondition Failed',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function errorItems(value: unknown, redact: Redact): UnkeyErrorItem[] {
  if (!Array.isArray(value)) return [];
  const items: UnkeyErrorItem[] = [];
  for (const item of value) {
    if (!isRecord(item)) continue;
    const fix = stringOr(item.fix, undefined);
    items.push({
      location: redact(stringOr(item.location, '')),
      message: redact(stringOr(item.message, '')),
      ...(fix === undefined ? {} : { fix: redact(fix) }),
    });
  }
  return items;
}

function pagination(value: unknown): UnkeyPagination | undefined {
  if (!isRecord(value) || typeof value.hasMore !== 'boolean') return undefined;
  return typeof value.cursor === 'string'
    ? { cursor: value.cursor, hasMore: value.hasMore }
    : { hasMore: value.hasMore };
}

/**
 * Unwraps `{meta, data, pagination?}` or throws the error the response describes. An error status keeps its
 * class even when the body is not JSON (a proxy's HTML 502 is still a server error); a success status whose body
 * is not an envelope is `UNKEY_BAD_RESPONSE` (`noData`: `{meta}` alone is one, with `data` `{}`). Every text taken
 * from the body goes through `redact`.
 */
export function readEnvelope<T>(
  operation: string,
  response: HttpResponse,
  redact: Redact,
  options: { noData?: boolean } = {},
): Envelope<T> {
  const body = parseJsonObject(response.body);
  const requestId = isRecord(body?.meta) ? stringOr(body.meta.requestId, undefined) : undefined;
  const { status } = response;

  if (status >= 200 && status < 300) {
    if (options.noData && body && isRecord(body.meta) && body.data === undefined)
      return { meta: { requestId: requestId ?? '' }, data: {} as T };
    if (!body || !('data' in body) || body.data === undefined) {
      throw new UnkeyApiError('UNKEY_BAD_RESPONSE', {
        operation,
        status,
        requestId,
        title: 'Bad response',
        detail: 'the response is not an Unkey envelope ({meta, data})',
      });
    }
    const page = pagination(body.pagination);
    const envelope: Envelope<T> = { meta: { requestId: requestId ?? '' }, data: body.data as T };
    if (page) envelope.pagination = page;
    return envelope;
  }

  const error = isRecord(body?.error) ? body.error : undefined;
  const type = stringOr(error?.type, undefined);
  throw new UnkeyApiError(unkeyErrorCode(status), {
    operation,
    status,
    requestId,
    type: type === undefined ? undefined : redact(type),
    title: redact(stringOr(error?.title, STATUS_TITLES[status] ?? `HTTP ${status}`)),
    detail: redact(stringOr(error?.detail, error ? '' : 'the response carries no Unkey error body')),
    errors: errorItems(error?.errors, redact),
    retryAt: status === 429 || status >= 500 ? parseRetryAfter(response.headers['retry-after']) : undefined,
  });
}
