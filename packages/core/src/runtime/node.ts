import * as nodeCrypto from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { Client, Pool, buildConnector } from 'undici';
import type { HttpRequest, HttpResponse, HttpTransport, Runtime, TransportOptions } from './types.js';
import { checkTransportOptions, DEFAULT_CONNECTIONS, DEFAULT_MAX_RESPONSE_BYTES } from './transport-options.js';
import { findOpenTelemetry } from './node-telemetry.js';
import { ResponseCollector } from './undici-response.js';

/** Streams one HTTP/2 connection carries at once (the service's own limit applies when lower). */
const H2_STREAMS_PER_CONNECTION = 100;

/**
 * A pool whose connections learn their protocol when they connect: one the service answered in HTTP/2 carries many
 * verifications at once as streams, one in HTTP/1.1 carries one at a time.
 */
function multiplexingPool(origin: string, connections: number): Pool {
  const connector = buildConnector({ allowH2: true });
  return new Pool(origin, {
    connections,
    allowH2: true,
    factory: (clientOrigin, clientOptions) => {
      // The connector runs when the client connects, after it was created: it tells the client what it may carry.
      const connect: buildConnector.connector = (connectOptions, callback) =>
        connector(connectOptions, (error, socket) => {
          if (!error)
            client.pipelining = (socket as TLSSocket | null)?.alpnProtocol === 'h2' ? H2_STREAMS_PER_CONNECTION : 1;
          // buildConnector's callback type is a union of (error, null) and (null, socket); forward it as it came.
          (callback as (error: Error | null, socket: unknown) => void)(error, socket);
        });
      const client = new Client(clientOrigin, { ...clientOptions, connect });
      return client;
    },
  });
}

/**
 * Keep-alive pool per origin (undici), with an overall deadline per request and a cap on the body read (see
 * ResponseCollector). The pool is sized for concurrency, not for a steady trickle: a verification holds a connection
 * for a whole round trip, so a small pool caps verifications per second at `connections ÷ latency` and queues the rest.
 */
class UndiciTransport implements HttpTransport {
  private readonly pool: Pool;
  private readonly maxResponseBytes: number;
  private readonly basePath: string;
  /**
   * With HTTP/2 allowed, requests are marked idempotent: undici holds a non-idempotent request back while another runs
   * on the same connection, which would leave HTTP/2 one stream at a time. It changes nothing else here: HTTP/1.1
   * connections then carry one request at a time (pipelining 1), and undici does not send again the requests that were
   * under way on an HTTP/2 connection that failed (each fails on its own, and is not repeated).
   */
  private readonly multiplexed: boolean;

  constructor(baseUrl: string, options: TransportOptions) {
    checkTransportOptions(options);
    const url = new URL(baseUrl);
    this.basePath = url.pathname.replace(/\/$/, '');
    const connections = options.connections ?? DEFAULT_CONNECTIONS;
    this.multiplexed = options.allowH2 === true;
    this.pool = this.multiplexed
      ? multiplexingPool(url.origin, connections)
      : new Pool(url.origin, { connections, pipelining: options.pipelining ?? 1 });
    this.maxResponseBytes = options.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
  }

  request(request: HttpRequest): Promise<HttpResponse> {
    const collector = new ResponseCollector(this.maxResponseBytes, request.timeoutMs);
    try {
      this.pool.dispatch(
        {
          path: this.basePath + request.path,
          method: request.method,
          headers: request.headers,
          body: request.body ?? null,
          idempotent: this.multiplexed || undefined,
        },
        collector,
      );
    } catch (error) {
      collector.refused(error);
    }
    return collector.promise;
  }

  private closed: Promise<void> | undefined;

  /** Closes the pool once; calling it again answers the same promise. */
  close(): Promise<void> {
    this.closed ??= this.pool.close();
    return this.closed;
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
