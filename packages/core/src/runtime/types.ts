import { KeyguardError } from '../errors.js';
import type { Telemetry } from '../telemetry/types.js';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface HttpRequest {
  method: HttpMethod;
  /** Path and query, appended to the transport's base URL. */
  path: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

export interface HttpResponse {
  status: number;
  /** Lower-case header names. */
  headers: Record<string, string>;
  body: string;
}

export interface HttpTransport {
  request(request: HttpRequest): Promise<HttpResponse>;
  close(): Promise<void>;
}

export interface TransportOptions {
  /** Largest response body read (default 1 MiB); a larger one fails with `TRANSPORT_RESPONSE_TOO_LARGE`. */
  maxResponseBytes?: number;
  /** Keep-alive connections per origin (Node only; default 16). */
  connections?: number;
}

export type TransportErrorCode =
  | 'TRANSPORT_TIMEOUT'
  | 'TRANSPORT_CONNECTION_FAILED'
  | 'TRANSPORT_CONNECTION_RESET'
  | 'TRANSPORT_RESPONSE_TOO_LARGE';

/** A request that got no complete answer. `sent` says whether it may have reached the server. */
export class TransportError extends KeyguardError {
  declare readonly code: TransportErrorCode;
  readonly sent: boolean;

  constructor(code: TransportErrorCode, message: string, sent: boolean, cause?: unknown) {
    super(code, message, { cause });
    this.sent = sent;
  }
}

/** What differs between Node and fetch-only runtimes (edge, workers). */
export interface Runtime {
  readonly name: 'node' | 'fetch';
  createTransport(baseUrl: string, options?: TransportOptions): HttpTransport;
  /** SHA-256 of the key, base64url: the only form in which keys are kept in memory. */
  digest(key: string): string | Promise<string>;
  /** Telemetry found without being asked for (Node: `@opentelemetry/api` when installed); none on fetch-only runtimes. */
  findTelemetry?(): Telemetry | undefined;
}

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
