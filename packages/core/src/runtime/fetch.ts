import type { HttpRequest, HttpResponse, HttpTransport, Runtime, TransportOptions } from './types.js';
import { DEFAULT_MAX_RESPONSE_BYTES, TransportError } from './types.js';

const NOT_SENT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);

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
      throw new TransportError('TRANSPORT_RESPONSE_TOO_LARGE', `the key service answered more than ${maxBytes} bytes`, true);
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

/** For runtimes with only `fetch` (Next.js middleware, workers): no Node built-ins. */
class FetchTransport implements HttpTransport {
  private readonly baseUrl: string;
  private readonly maxResponseBytes: number;

  constructor(baseUrl: string, options: TransportOptions) {
    this.baseUrl = baseUrl.replace(/\/$/, '');
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  async request(request: HttpRequest): Promise<HttpResponse> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, request.timeoutMs);
    try {
      const response = await fetch(this.baseUrl + request.path, {
        method: request.method,
        headers: request.headers,
        body: request.body,
        signal: controller.signal,
      });
      const body = await readCapped(response, this.maxResponseBytes);
      const headers: Record<string, string> = {};
      response.headers.forEach((value, name) => {
        headers[name.toLowerCase()] = value;
      });
      return { status: response.status, headers, body };
    } catch (error) {
      if (error instanceof TransportError) throw error;
      if (timedOut) throw new TransportError('TRANSPORT_TIMEOUT', 'the key service did not answer in time', true, error);
      const code = ((error as { cause?: { code?: string } }).cause?.code) ?? '';
      if (NOT_SENT_CODES.has(code)) {
        throw new TransportError('TRANSPORT_CONNECTION_FAILED', `could not connect to the key service (${code})`, false, error);
      }
      throw new TransportError('TRANSPORT_CONNECTION_RESET', 'the connection to the key service failed', true, error);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {}
}

function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export const fetchRuntime: Runtime = {
  name: 'fetch',
  createTransport: (baseUrl, options = {}) => new FetchTransport(baseUrl, options),
  digest: async (key) => toBase64Url(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(key)))),
};
