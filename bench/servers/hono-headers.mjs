// Hono on @hono/node-server answering `{"hello":"world"}`, with HEADERS=draft-6 the four RateLimit header lines a
// metered key's answer carries, set the way @keyguard/hono sets them there (`setHeader` on the Node response before
// the handler runs), with values that change per request as a rate limit's do. HEADERS=none: the same without them.
import { serve } from '@hono/node-server';
import { rateLimitHeaders } from '@keyguard/core';
import { Hono } from 'hono';
import { listening, reportOverIpc } from './ipc.mjs';

const withHeaders = process.env.HEADERS === 'draft-6';
const limit = {
  name: 'requests',
  limit: 1_000_000_000,
  remaining: 1_000_000_000,
  reset: Date.now() + 60_000,
  exceeded: false,
  duration: 60_000,
};
const app = new Hono();
app.use('/hello', (context, next) => {
  if (withHeaders) {
    limit.remaining -= 1;
    const headers = rateLimitHeaders([limit], 'draft-6');
    for (const name in headers) context.env.outgoing.setHeader(name, headers[name]);
  }
  return next();
});
app.get('/hello', (context) => context.json({ hello: 'world' }));
const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
await listening(server);
reportOverIpc(server);
