import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Schema } from '../validation/schema.js';
import type { ApiError } from '../api-error.js';
import type { RequestTarget } from './target.js';

/** The input the pipeline reads and validates before running an operation. */
export interface OperationInput {
  query: unknown;
  body: unknown;
  /** The request's clock reading (unix ms), one per request. */
  now: number;
  requestId: string;
}

/** A routed and authenticated request, ready to run once its input is read and valid. */
export interface PreparedOperation<Outcome> {
  /** Query parameters are validated only when declared; without it they are ignored. */
  query?: Schema<unknown>;
  /** Absent: the body is not read. `optional`: a request without any body reads as `{}`. */
  body?: { schema: Schema<unknown>; optional?: boolean };
  /** The operation itself, synchronous, as both SQLite drivers are; throws `ApiError`s for answers other than success. */
  run(input: OperationInput): Outcome;
}

/**
 * What differs between the wire formats the service speaks (Unkey's `/v2`, Clerk's API keys): which operation a
 * request asks for and who sends it, and how answers look. Everything else is the shared request pipeline.
 */
export interface WireFormat<Outcome> {
  /** Called first for every request, e.g. to set a request-id header. */
  begin?(response: ServerResponse, requestId: string): void;
  /**
   * Routing and authentication, before the body is read (an unauthenticated request costs no body parse). Throws an
   * `ApiError` for an unknown path (404), a wrong method (405) or a bad credential.
   */
  prepare(request: IncomingMessage, target: RequestTarget): PreparedOperation<Outcome>;
  /** Writes a success. */
  succeed(response: ServerResponse, requestId: string, outcome: Outcome): void;
  /** Writes an error answer in this format. */
  fail(request: IncomingMessage, response: ServerResponse, requestId: string, error: ApiError): void;
}
