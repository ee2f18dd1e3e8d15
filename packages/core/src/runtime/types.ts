import type { Telemetry } from '../telemetry/types.js';

/** The methods key-service clients send. */
export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** One request a transport sends. */
export interface HttpRequest {
  /** The HTTP method. */
  method: HttpMethod;
  /** Path and query, appended to the transport's base URL. */
  path: string;
  /** Headers to send. */
  headers: Record<string, string>;
  /** The body, already serialised; none for GET and DELETE. */
  body?: string;
  /** Longest wait for the whole answer, in ms; past it the request fails with `TRANSPORT_TIMEOUT`. */
  timeoutMs: number;
}

/** A complete answer: every status counts, the caller decides what a 4xx or 5xx means. */
export interface HttpResponse {
  /** The HTTP status. */
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  /** The body, as text. */
  body: string;
}

/** HTTP to one origin, as a runtime provides it (undici on Node, `fetch` elsewhere). */
export interface HttpTransport {
  /** Sends one request; rejects with a `TransportError` when no complete answer came. */
  request(request: HttpRequest): Promise<HttpResponse>;
  /** Releases the connections. */
  close(): Promise<void>;
}

/** How a key-service client connects (`unkey()`, `clerk()` and their clients take these). */
export interface TransportOptions {
  /**
   * Largest response body read (default 1 MiB); a larger one fails with `TRANSPORT_RESPONSE_TOO_LARGE`.
   * @default 1_048_576
   */
  maxResponseBytes?: number;
  /**
   * Most keep-alive connections per origin (Node only; default 256). A verification holds one for a round trip, so
   * verifications in flight are capped here, and at most about `connections ÷ latency` run per second (256 at
   * 25 ms: about 10,000/s); more wait in a queue. Connections are opened only as concurrency needs them.
   * @default 256
   */
  connections?: number;
  /**
   * HTTP/1.1 requests written per connection before the first answers (Node only; default 1). Above 1, a dropped
   * connection fails every request written on it, and a verification that may have reached the service is not
   * repeated: raise `connections` first. Not with `allowH2`.
   * @default 1
   */
  pipelining?: number;
  /**
   * Offer HTTP/2 when connecting over TLS (Node only; default false). A connection the service answers in HTTP/2
   * carries up to 100 verifications at once as streams (fewer if the service says so); one it answers in HTTP/1.1
   * carries one at a time, as without the option. Plain `http://` URLs always use HTTP/1.1.
   * @default false
   */
  allowH2?: boolean;
}

/** Why a request got no complete answer. */
export type TransportErrorCode =
  'TRANSPORT_TIMEOUT' | 'TRANSPORT_CONNECTION_FAILED' | 'TRANSPORT_CONNECTION_RESET' | 'TRANSPORT_RESPONSE_TOO_LARGE';

/** What differs between Node, Bun and fetch-only runtimes (edge, workers). */
export interface Runtime {
  /** Which runtime this is. */
  readonly name: 'node' | 'bun' | 'fetch';
  /** A transport to `baseUrl`'s origin; request paths are appended to it. */
  createTransport(baseUrl: string, options?: TransportOptions): HttpTransport;
  /** SHA-256 of the key, base64url: the only form in which keys are kept in memory. */
  digest(key: string): string | Promise<string>;
  /** Telemetry found without being asked for (Node: `@opentelemetry/api` when installed); none on fetch-only runtimes. */
  findTelemetry?(): Telemetry | undefined;
}
