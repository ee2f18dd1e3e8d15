import type { Server } from 'node:http';
import { createAdaptorServer } from '@hono/node-server';
import { EdgeRuntime } from 'edge-runtime';
import { listen, type RunningHarness } from '../../conformance/fixtures.js';

// Vercel's Edge runtime (the `edge-runtime` package, which Next.js's own edge sandbox is built on): a V8 context holding
// only the edge globals (fetch, Web Crypto, streams, …; no `require`, no Node built-ins), into which an edge function's
// bundle is evaluated as a script that registers a `fetch` listener, which `dispatchFetch` calls. Besides the edge
// globals it gets `process.env`, as Next.js's sandbox gives it (there, the rest of `process` throws).

/**
 * Serves an edge function over loopback. The loopback front is @hono/node-server's, as for the Node harnesses: it
 * hands the function every header line (a doubled `Authorization` joined with ", "), which edge-runtime's own
 * `runServer` would not (it builds the request from Node's `req.headers`, which keeps only the first such line).
 */
export async function serveEdgeFunction(code: string, env: Record<string, string>): Promise<RunningHarness> {
  const runtime = new EdgeRuntime({ extend: (context) => Object.assign(context, { process: { env } }) });
  runtime.evaluate(code);
  const fetch = (request: Request) => {
    const headers: [string, string][] = [];
    request.headers.forEach((value, name) => headers.push([name, value]));
    return runtime.dispatchFetch(request.url, { method: request.method, headers });
  };
  return listen(createAdaptorServer({ fetch }) as Server);
}
