import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CreateRateLimiter, RateLimitOptions, RateLimiter, VerifiedKey } from '@keyguard/core';
import type { NextApiRequest, NextApiResponse } from 'next';
import type { OptionsOrFactory } from './options.js';
import { setMergedHeaders } from './merge-headers.js';
import { writeDenial } from './pages.js';
import { createRateGate } from './rate-limit-gate.js';
import { waitUntilAfterResponse } from './wait-until.js';

/** The API route `withRateLimitPages` returns, to `export default` or to wrap in `withApiKeyPages`. */
export interface RateLimitedPagesHandler<T = unknown> {
  (req: NextApiRequest, res: NextApiResponse<T>): Promise<void>;
  /** The RateLimiter behind this route (created on first use when the options are a function). */
  rateLimiter(): RateLimiter;
}

/** The type of `withRateLimitPages`. */
export type WithRateLimitPages = <T = unknown>(
  handler: (req: NextApiRequest, res: NextApiResponse<T>) => unknown | Promise<unknown>,
  options: OptionsOrFactory<RateLimitOptions>,
) => RateLimitedPagesHandler<T>;

/** `withRateLimitPages` bound to one of core's builds. */
export function createWithRateLimitPages(createRateLimiter: CreateRateLimiter): WithRateLimitPages {
  return <T>(
    handler: (req: NextApiRequest, res: NextApiResponse<T>) => unknown | Promise<unknown>,
    options: OptionsOrFactory<RateLimitOptions>,
  ) => {
    const gate = createRateGate(createRateLimiter, options);
    const route = async (req: NextApiRequest, res: NextApiResponse<T>): Promise<void> => {
      const request = req as IncomingMessage & { apiKey?: VerifiedKey };
      const outcome = await gate({
        headers: request.headers,
        ip: request.socket?.remoteAddress,
        apiKey: request.apiKey,
        url: request.url,
        waitUntil: waitUntilAfterResponse,
      });
      if (!outcome.allowed) return writeDenial(res as ServerResponse, outcome.denial);
      setMergedHeaders(res as ServerResponse, outcome.headers);
      await handler(req, res);
    };
    return Object.assign(route, { rateLimiter: gate.rateLimiter });
  };
}
