import type { Dispatcher } from 'undici';
import { errors as undiciErrors } from 'undici';
import { responseTooLargeError, timeoutError, transportErrorFor } from './deadline.js';
import type { TransportError } from './transport-error.js';
import type { HttpResponse } from './types.js';

const isUndiciTimeout = (error: unknown): boolean =>
  error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError;
/** The system error code on undici's and Node's errors ('' when there is none). */
const codeOf = (error: unknown): string => (error as { code?: string } | undefined)?.code ?? '';

/**
 * One request sent with undici's `dispatch`, answered as a whole (status, headers, body up to `maxBytes`) under an
 * overall deadline. `Pool.request` would hand the body over as a stream read chunk by chunk: a key service's answer is
 * a few hundred bytes, and a handler that collects it costs less than half the CPU (bench/RESULTS.md; it matters most
 * for batched metering's settlements, which run too seldom among the requests to get hot).
 *
 * The deadline holds even for a request still waiting for a free connection: the caller is answered when it passes,
 * and the request is dropped before it is written if undici reaches it later.
 */
export class ResponseCollector implements Dispatcher.DispatchHandler {
  readonly promise: Promise<HttpResponse>;
  private resolve!: (response: HttpResponse) => void;
  private reject!: (error: TransportError) => void;
  private controller: Dispatcher.DispatchController | undefined;
  private abortReason: Error | undefined;
  private status = 0;
  private headers: Record<string, string> = {};
  private readonly chunks: Buffer[] = [];
  private size = 0;
  private settled = false;
  private readonly timer: ReturnType<typeof setTimeout>;

  constructor(
    private readonly maxBytes: number,
    timeoutMs: number,
  ) {
    this.promise = new Promise<HttpResponse>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    this.timer = setTimeout(() => {
      const timeout = timeoutError();
      this.abort(timeout);
      this.fail(timeout);
    }, timeoutMs);
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.abortReason) controller.abort(this.abortReason);
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: Record<string, string | string[] | undefined>,
  ): void {
    // Called again after a 1xx: the last one is the answer.
    this.status = statusCode;
    this.headers = {};
    for (const name in headers) {
      const value = headers[name];
      if (value !== undefined) this.headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
    }
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.size += chunk.length;
    if (this.size > this.maxBytes) {
      this.abort(responseTooLargeError(this.maxBytes));
      return;
    }
    this.chunks.push(chunk);
  }

  onResponseEnd(): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    const body =
      this.chunks.length === 1 ? this.chunks[0]!.toString('utf8') : Buffer.concat(this.chunks).toString('utf8');
    this.resolve({ status: this.status, headers: this.headers, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.fail(transportErrorFor(error, isUndiciTimeout(error), codeOf(error)));
  }

  /** undici refused the request outright (a closed pool): no handler method is called then. */
  refused(error: unknown): void {
    this.fail(transportErrorFor(error, false, codeOf(error)));
  }

  private abort(reason: Error): void {
    if (this.controller) this.controller.abort(reason);
    else this.abortReason = reason;
  }

  private fail(error: TransportError): void {
    if (this.settled) return;
    this.settled = true;
    clearTimeout(this.timer);
    this.reject(error);
  }
}
