import type { HttpRequest, HttpResponse, HttpTransport, Runtime, TransportOptions } from './types.js';
import { toBase64Url } from '../service/base64url.js';
import { responseTooLargeError, withDeadline } from './deadline.js';
import { checkTransportOptions, DEFAULT_MAX_RESPONSE_BYTES } from './transport-options.js';

async function readCapped(response: Response, maxBytes: number): Promise<string> {
  if (!response.body) return '';
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw responseTooLargeError(maxBytes);
    }
    chunks.push(value);
  }
  const joined = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    joined.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(joined);
}

/**
 * The system error code of a failed fetch. Node's (undici's) fetch wraps it: `TypeError: fetch failed` with the code on
 * its cause; Bun's puts it on the error itself (`ECONNREFUSED`, `ECONNRESET`), so that a refused connection still
 * counts as one that sent nothing.
 */
function fetchErrorCode(error: unknown): string {
  const { code, cause } = (error ?? {}) as { code?: unknown; cause?: { code?: unknown } };
  if (typeof cause?.code === 'string') return cause.code;
  return typeof code === 'string' ? code : '';
}

/** For runtimes with only `fetch` (Next.js middleware, workers): no Node built-ins. */
export class FetchTransport implements HttpTransport {
  private readonly baseUrl: string;
  private readonly maxResponseBytes: number;

  constructor(baseUrl: string, options: TransportOptions) {
    // Connection settings belong to the platform's fetch here; they are still checked, so a typo fails alike everywhere.
    checkTransportOptions(options);
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  request(request: HttpRequest): Promise<HttpResponse> {
    return withDeadline(
      request.timeoutMs,
      async (signal) => {
        const response = await fetch(this.baseUrl + request.path, {
          method: request.method,
          headers: request.headers,
          body: request.body,
          signal,
        });
        const body = await readCapped(response, this.maxResponseBytes);
        const headers: Record<string, string> = {};
        response.headers.forEach((value, name) => {
          headers[name.toLowerCase()] = value;
        });
        return { status: response.status, headers, body };
      },
      fetchErrorCode,
    );
  }

  async close(): Promise<void> {}
}

export const fetchRuntime: Runtime = {
  name: 'fetch',
  createTransport: (baseUrl, options = {}) => new FetchTransport(baseUrl, options),
  digest: async (key) =>
    toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)))),
};
