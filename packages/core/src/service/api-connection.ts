import type {
  HttpMethod,
  HttpRequest,
  HttpResponse,
  HttpTransport,
  Runtime,
  TransportOptions,
} from '../runtime/types.js';
import { TransportError } from '../runtime/transport-error.js';
import { redactorFor, type Redact } from './redact.js';
import { retryDecider, type RetryPolicy, type StatusError } from './retry-policy.js';
import type { RetryConfig } from './retry-config.js';
import { DEFAULT_RETRY_CONFIG, withRetries } from './retry.js';

/** What an `ApiConnection` needs: where, with which credential, and how its client's errors look. */
export interface ApiConnectionOptions extends TransportOptions {
  /** The service's base URL; call paths are appended to it. */
  baseUrl: string;
  /** Sent as `Authorization: Bearer …`; redacted from anything the server echoes. */
  credential: string;
  /** Further headers of every request (`user-agent`, an API version). */
  headers: Record<string, string>;
  /** Deadline for one attempt. */
  timeoutMs: number;
  /**
   * Retries of calls that are safe to repeat; `false` turns every retry off; absent: the default config.
   * @default DEFAULT_RETRY_CONFIG
   */
  retry?: RetryConfig | false;
  /** Whether a failure is the client's API error, whose 429 and 5xx a repeatable call may retry. */
  isApiError(error: unknown): error is StatusError;
  /**
   * The client's error for a call that got no complete answer (a timeout, a failed or dropped connection, a body
   * over the size limit), so that everything a client throws is of its own error family. `cause.sent` tells
   * whether the request may have reached the server.
   */
  transportFailure(operation: string, cause: TransportError): Error;
}

/** What a client passes through to its connection unchanged: its deadline, retries and transport settings. */
export type ConnectionTuning = TransportOptions & Pick<ApiConnectionOptions, 'timeoutMs' | 'retry'>;

/** Picks a client's `ConnectionTuning` from its options, so that nothing else of them (its secret) is passed along. */
export function connectionTuning(options: ConnectionTuning): ConnectionTuning {
  const { timeoutMs, retry, maxResponseBytes, connections, pipelining, allowH2 } = options;
  return { timeoutMs, retry, maxResponseBytes, connections, pipelining, allowH2 };
}

/** One call of an API client: where it goes, how it may be repeated, and how its answer is read. */
export interface ApiCall<T> {
  /** Named in errors, e.g. `keys.getKey`. */
  operation: string;
  /** The HTTP method. */
  method: HttpMethod;
  /** Path and encoded query, appended to the base URL. */
  path: string;
  /** Sent as JSON. */
  body?: object;
  /** Whether the call may be repeated after a failure, or only when it was surely not sent. */
  policy: RetryPolicy;
  /** Secrets inside the request (a key being verified), redacted from anything the server echoes. */
  secrets?: readonly string[];
  /** Turns a response into the answer, or throws the client's API error; texts from the body go through `redact`. */
  read(response: HttpResponse, redact: Redact): T;
}

/**
 * What the typed API clients share: an authenticated transport, per-attempt deadlines, retries by call policy
 * and a close that also stops pending retries. Private fields keep the credential out of `util.inspect`,
 * `JSON.stringify` and enumeration.
 *
 * @example
 * ```ts
 * import { runtime } from '@keyguard/core/runtime';
 * import { ApiConnection, type StatusError } from '@keyguard/core/service';
 *
 * class AcmeError extends Error implements StatusError {
 *   constructor(readonly status?: number) {
 *     super(`acme answered HTTP ${status}`);
 *   }
 * }
 * const connection = new ApiConnection(runtime, {
 *   baseUrl: 'https://api.acme.example',
 *   credential: process.env.ACME_TOKEN!,
 *   headers: { 'user-agent': 'acme-provider' },
 *   timeoutMs: 2_000,
 *   isApiError: (error): error is AcmeError => error instanceof AcmeError,
 *   transportFailure: (operation, cause) => new Error(`acme ${operation}: ${cause.message}`, { cause }),
 * });
 * const key = 'ak_…';
 * const answer = await connection.send({
 *   operation: 'keys.verify',
 *   method: 'POST',
 *   path: '/keys/verify',
 *   body: { key },
 *   policy: 'unsent-only',
 *   secrets: [key],
 *   read(response) {
 *     if (response.status !== 200) throw new AcmeError(response.status);
 *     return JSON.parse(response.body) as { valid: boolean };
 *   },
 * });
 * await connection.close();
 * ```
 */
export class ApiConnection {
  readonly #transport: HttpTransport;
  readonly #headers: Record<string, string>;
  readonly #credential: string;
  readonly #timeoutMs: number;
  readonly #retry: RetryConfig | undefined;
  readonly #isApiError: ApiConnectionOptions['isApiError'];
  readonly #transportFailure: ApiConnectionOptions['transportFailure'];
  readonly #closing = new AbortController();
  #closed: Promise<void> | undefined;

  constructor(runtime: Runtime, options: ApiConnectionOptions) {
    this.#credential = options.credential;
    this.#timeoutMs = options.timeoutMs;
    this.#retry = options.retry === false ? undefined : (options.retry ?? DEFAULT_RETRY_CONFIG);
    this.#isApiError = options.isApiError;
    this.#transportFailure = options.transportFailure;
    this.#headers = { ...options.headers, authorization: `Bearer ${options.credential}`, accept: 'application/json' };
    this.#transport = runtime.createTransport(options.baseUrl, {
      maxResponseBytes: options.maxResponseBytes,
      connections: options.connections,
      pipelining: options.pipelining,
      allowH2: options.allowH2,
    });
  }

  /** Sends the call, retrying as its policy and the retry config allow; the last failure is thrown as is. */
  send<T>(call: ApiCall<T>): Promise<T> {
    const request: HttpRequest = {
      method: call.method,
      path: call.path,
      headers: call.body === undefined ? this.#headers : { ...this.#headers, 'content-type': 'application/json' },
      body: call.body === undefined ? undefined : JSON.stringify(call.body),
      timeoutMs: this.#timeoutMs,
    };
    const redact = redactorFor([this.#credential, ...(call.secrets ?? [])]);
    const attempt = () => this.#attempt(call, request, redact);
    const retry = this.#retry;
    const decide = retry ? retryDecider(call.policy, retry, this.#isApiError) : () => ({ retry: false as const });
    return withRetries(attempt, decide, retry?.backoff, this.#closing.signal).catch((error: unknown) => {
      throw error instanceof TransportError ? this.#transportFailure(call.operation, error) : error;
    });
  }

  /** Stops pending retries and closes the connections. Calling it again answers the same promise. */
  close(): Promise<void> {
    this.#closing.abort();
    this.#closed ??= this.#transport.close();
    return this.#closed;
  }

  async #attempt<T>(call: ApiCall<T>, request: HttpRequest, redact: Redact): Promise<T> {
    return call.read(await this.#transport.request(request), redact);
  }
}
