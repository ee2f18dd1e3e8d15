// How keyguard's Hono middlewares read a request and write an answer, on @hono/node-server and on fetch runtimes.
import { mergeRateLimitHeaders } from '@keyguard/core';
import type { DenialResponse, WaitUntil } from '@keyguard/core';
import type { Context, Next } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export function denialResponse(c: Context, denial: DenialResponse): Response {
  const headers = mergedHeaders(c, nodeOutgoing(c), denial.headers);
  return c.body(JSON.stringify(denial.body), denial.status as ContentfulStatusCode, headers);
}

/**
 * The platform's `waitUntil` (Cloudflare Workers, Vercel, Deno Deploy), so a background refresh survives the response.
 * Hono's `executionCtx` getter throws where there is none (Node): only asked when a refresh actually starts.
 */
export function waitUntilOf(c: Context): WaitUntil {
  return (promise) => {
    let context: { waitUntil(promise: Promise<unknown>): void } | undefined;
    try {
      context = c.executionCtx;
    } catch {
      return;
    }
    context.waitUntil(promise);
  };
}

/** The shape of @hono/node-server's `c.env.incoming` that is read (types only: nothing of Node is loaded). */
export interface NodeIncoming {
  headers?: Record<string, string | string[] | undefined>;
  rawHeaders?: string[];
  /** The connection, for the client's address. */
  socket?: { remoteAddress?: string };
}

/** The shape of @hono/node-server's `c.env.outgoing` that is written to. */
interface NodeOutgoing {
  setHeader(name: string, value: string): unknown;
  getHeader(name: string): string | number | string[] | undefined;
  removeHeader(name: string): unknown;
  headersSent?: boolean;
}

/**
 * On @hono/node-server the Node request is at hand: reading its header record avoids building a fetch `Headers`
 * object per request (the costliest part of a cached verification), and its raw lines show a doubled
 * `Authorization` that the record hides. Elsewhere, the Request's headers (which join doubled lines with a comma).
 */
export function nodeIncoming(c: Context): NodeIncoming | undefined {
  const incoming = (c.env as { incoming?: NodeIncoming } | undefined)?.incoming;
  return incoming?.headers ? incoming : undefined;
}

/** @hono/node-server's Node response, while its headers can still be set. */
function nodeOutgoing(c: Context): NodeOutgoing | undefined {
  const outgoing = (c.env as { outgoing?: NodeOutgoing } | undefined)?.outgoing;
  return typeof outgoing?.setHeader === 'function' && outgoing.headersSent === false ? outgoing : undefined;
}

// The rate-limit headers keyguard's middlewares gave `c.header` on a request, read back without building `c.res`.
const written = new WeakMap<Context, Record<string, string>>();

/**
 * The headers to set, merged with the rate-limit headers already set (on the Node response, or by `c.header`): on a
 * route with both keyguard() and rateLimit(), the second to answer reports its limits beside the first's.
 */
function mergedHeaders(
  c: Context,
  outgoing: NodeOutgoing | undefined,
  headers: Record<string, string>,
): Record<string, string> {
  if (outgoing) {
    const { set, remove } = mergeRateLimitHeaders((name) => outgoing.getHeader(name), headers);
    for (const name of remove) outgoing.removeHeader(name);
    return set;
  }
  const before = written.get(c);
  const { set, remove } = mergeRateLimitHeaders((name) => before?.[name], headers);
  const after = { ...before, ...set };
  for (const name of remove) {
    c.header(name, undefined);
    delete after[name];
  }
  written.set(c, after);
  return set;
}

/** A handler that returned a Response of its own (not one built by `c.json` and the like) did not get `c.header`'s. */
function addMissingHeaders(c: Context, headers: Record<string, string>): void {
  for (const name in headers) if (!c.res.headers.has(name)) c.header(name, headers[name]);
}

/**
 * Goes on with an allowed request, with its headers (a metered key's RateLimit headers). On @hono/node-server they go
 * on the Node response (`c.env.outgoing`), which Node merges with the headers of whatever response the app returns,
 * the app's own winning: `c.header` would build a fetch `Headers` object per response, several µs per request.
 * Elsewhere `c.header`, and after the handler, on its response if it made one of its own.
 */
export function proceedWithHeaders(c: Context, next: Next, headers: Record<string, string>): Promise<void> {
  const outgoing = nodeOutgoing(c);
  const merged = mergedHeaders(c, outgoing, headers);
  if (outgoing) {
    for (const name in merged) outgoing.setHeader(name, merged[name]!);
    return next();
  }
  for (const name in merged) c.header(name, merged[name]);
  return next().then(() => addMissingHeaders(c, merged));
}
