import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DenialResponse, RequestGuard, VerifiedKey } from '@keyguard/core';
import type { NextApiRequest, NextApiResponse } from 'next';
import { setMergedHeaders } from './merge-headers.js';
import { createGate } from './options.js';
import { waitUntilAfterResponse } from './wait-until.js';
import type { ApiKeyFor, CreateKeyguard, NextKeyguardOptions, OptionsOrFactory } from './options.js';

/** A Pages Router API request after `withApiKeyPages`: `req.apiKey` is set. */
export type NextApiRequestWithApiKey<K extends VerifiedKey | undefined = VerifiedKey> = NextApiRequest & { apiKey: K };

/** The handler `withApiKeyPages` wraps: an API route whose `req.apiKey` is set. */
export type ApiKeyPagesHandler<T = unknown, K extends VerifiedKey | undefined = VerifiedKey> = (
  req: NextApiRequestWithApiKey<K>,
  res: NextApiResponse<T>,
) => unknown | Promise<unknown>;

/** The API route `withApiKeyPages` returns, to `export default`. */
export interface ProtectedPagesHandler<T = unknown> {
  (req: NextApiRequest, res: NextApiResponse<T>): Promise<void>;
  /** The RequestGuard behind this route (created on first use when the options are a function). */
  keyguard(): RequestGuard;
}

/** The type of `withApiKeyPages`: the key type the handler sees follows from the options (see `ApiKeyFor`). */
export type WithApiKeyPages = <T = unknown, const O extends NextKeyguardOptions = NextKeyguardOptions>(
  handler: ApiKeyPagesHandler<T, ApiKeyFor<O>>,
  options: OptionsOrFactory<O>,
) => ProtectedPagesHandler<T>;

// Plain node:http calls (types only), so it works on NextApiResponse and on any ServerResponse.
export function writeDenial(res: ServerResponse, denial: DenialResponse): void {
  res.statusCode = denial.status;
  setMergedHeaders(res, denial.headers);
  res.end(JSON.stringify(denial.body));
}

/** `withApiKeyPages` bound to one of core's builds. */
export function createWithApiKeyPages(createKeyguard: CreateKeyguard): WithApiKeyPages {
  return <T, O extends NextKeyguardOptions>(
    handler: ApiKeyPagesHandler<T, ApiKeyFor<O>>,
    options: OptionsOrFactory<O>,
  ) => {
    const gate = createGate(createKeyguard, options);
    const route = async (req: NextApiRequest, res: NextApiResponse<T>): Promise<void> => {
      const request = req as IncomingMessage;
      const outcome = await gate({
        headers: request.headers,
        rawHeaders: request.rawHeaders,
        url: request.url,
        waitUntil: waitUntilAfterResponse,
      });
      if (!outcome.allowed) return writeDenial(res, outcome.denial);
      if (outcome.headers) setMergedHeaders(res, outcome.headers);
      const withKey = req as NextApiRequestWithApiKey<ApiKeyFor<O>>;
      if (outcome.apiKey) withKey.apiKey = outcome.apiKey as ApiKeyFor<O>;
      await handler(withKey, res);
    };
    return Object.assign(route, { keyguard: gate.keyguard });
  };
}
