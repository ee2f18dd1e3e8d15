import type { Logger, RequestGuard, VerifiedKey } from '@keyguard/core';

/** Set on a request once `ApiKeyGuard` let it through: which keyguard did, so a second run does not verify again. */
export const ADMITTED_BY = Symbol('keyguard.admittedBy');

/** The request as the guard leaves it (Express's `Request` or Fastify's `FastifyRequest` underneath). */
export interface KeyguardRequest {
  /** The request's headers, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** Express: path and query as received. */
  originalUrl?: string;
  /** Fastify: path and query; Express: the same, relative to the router. */
  url?: string;
  /** Express: the header lines as received (Node keeps only the first of two `Authorization` lines in `headers`). */
  rawHeaders?: string[];
  /** Fastify: the Node request, whose `rawHeaders` are the lines as received. */
  raw?: { rawHeaders?: string[] };
  /** Fastify's request logger, or pino-http's (nestjs-pino) on Express: keyguard's request lines go there. */
  log?: Logger;
  /** Fastify's request id, or pino-http's. */
  id?: string | number;
  /** The verified API key; unset on optional routes called without a key. */
  apiKey?: VerifiedKey;
  /** Which guard let the request through, so that a second run does not verify it again. */
  [ADMITTED_BY]?: RequestGuard;
}
