import * as nodeCrypto from 'node:crypto';
import { Pool, errors as undiciErrors } from 'undici';
import type { HttpRequest, HttpResponse, HttpTransport, Runtime, TransportOptions } from './types.js';
import { withDeadline } from './deadline.js';
import { DEFAULT_MAX_RESPONSE_BYTES, TransportError } from './types.js';
import { findOpenTelemetry } from './node-telemetry.js';

/** Keep-alive pool per origin (undici), with an overall deadline per request and a cap on the body read. */
class UndiciTransport implements HttpTransport {
  private readonly pool: Pool;
  private readonly maxResponseBytes: number;

  constructor(baseUrl: string, options: TransportOptions) {
    const url = new URL(baseUrl);
    this.basePath = url.pathname.replace(/\/$/, '');
    this.pool = new Pool(url.origin, { connections: options.connections ?? 16, pipelining: 1 });
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  private readonly basePath: string;

  request(request: HttpRequest): Promise<HttpResponse> {
    return withDeadline(
      request.timeoutMs,
      async (signal) => {
        const response = await this.pool.request({ path: this.basePath + request.path, method: request.method, headers: request.headers, body: request.body, signal });
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of response.body) {
          size += (chunk as Buffer).length;
          if (size > this.maxResponseBytes) {
            response.body.destroy();
            throw new TransportError('TRANSPORT_RESPONSE_TOO_LARGE', `the key service answered more than ${this.maxResponseBytes} bytes`, true);
          }
          chunks.push(chunk as Buffer);
        }
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(response.headers)) {
          if (value !== undefined) headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
        }
        return { status: response.statusCode, headers, body: Buffer.concat(chunks).toString('utf8') };
      },
      (error) => (error as { code?: string } | undefined)?.code ?? '',
      (error) => error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError,
    );
  }

  async close(): Promise<void> {
    await this.pool.close();
  }
}

/** `crypto.hash` (Node ≥ 20.12) hashes a short string about twice as fast as `createHash`; fall back for older. */
function oneShotSha256(): (key: string) => string {
  const hash = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'base64url') => string }).hash;
  if (typeof hash === 'function') return (key) => hash('sha256', key, 'base64url');
  return (key) => nodeCrypto.createHash('sha256').update(key).digest('base64url');
}

export const nodeRuntime: Runtime = {
  name: 'node',
  createTransport: (baseUrl, options = {}) => new UndiciTransport(baseUrl, options),
  digest: oneShotSha256(),
  findTelemetry: findOpenTelemetry,
};
