/** An answer of the service in Unkey's error envelope, or no answer: `code` is stable, the message is the service's. */
export class ApiCallError extends Error {
  readonly code: string;
  readonly status: number;

  constructor(status: number, code: string, message: string) {
    super(message);
    this.name = 'ApiCallError';
    this.status = status;
    this.code = code;
  }
}

/** Unkey's `pagination`. */
export interface Page {
  cursor?: string;
  hasMore: boolean;
}

export interface Answer<T> {
  data: T;
  pagination?: Page;
}

/** Calls one `POST /v2/<operation>` of the service with the signed-in root key. */
export type Call = <T>(operation: string, body?: object) => Promise<Answer<T>>;

interface ErrorBody {
  error?: { detail?: string; title?: string; type?: string };
}

// The error code is the last part of the envelope's `type` URL (`…/unkey/data/key_not_found`).
const codeOf = (body: ErrorBody, status: number): string =>
  body.error?.type?.split('/').pop()?.toUpperCase() ?? `HTTP_${status}`;

/**
 * A client of the service's `/v2` operations for one root key. The key lives in this closure only, for as long as
 * the page is open: sent as `Authorization: Bearer` on each call, never put in a URL, a cookie or storage. Every
 * call is a JSON POST (the service refuses other content types), so no form of another site can make one.
 */
export function apiClient(rootKey: string): Call {
  return async <T>(operation: string, body: object = {}): Promise<Answer<T>> => {
    let response: Response;
    try {
      response = await fetch(`/v2/${operation}`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${rootKey}`, 'Content-Type': 'application/json' },
        body: JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch {
      throw new ApiCallError(0, 'UNREACHABLE', 'The key service did not answer.');
    }
    const parsed = (await response.json().catch(() => ({}))) as Answer<T> & ErrorBody;
    if (!response.ok) {
      const message = parsed.error?.detail ?? parsed.error?.title ?? `HTTP ${response.status}`;
      throw new ApiCallError(response.status, codeOf(parsed, response.status), message);
    }
    return parsed;
  };
}

/** Every page of a list operation, up to `max` items. */
export async function listAll<T>(call: Call, operation: string, body: object, max = 1000): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | undefined;
  do {
    const answer = await call<T[]>(operation, { ...body, limit: 100, ...(cursor ? { cursor } : {}) });
    items.push(...answer.data);
    cursor = answer.pagination?.hasMore ? answer.pagination.cursor : undefined;
  } while (cursor && items.length < max);
  return items;
}
