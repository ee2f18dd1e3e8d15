// One app instance of the fleet end-to-end test, in its own process, on the built packages (what users install;
// `pnpm test` builds first): an adapter (ADAPTER) in
// front of a verifier with the Unkey provider, the Redis fleet and an UnkeyClient whose key changes it follows. A
// second, adapter-free server is its admin side: POST /keys/<keyId>/delete deletes a key through this instance's
// client (so this instance publishes the revocation), GET /stats reports the fleet's and the verifier's counters.
// Prints one JSON line when both listen and the bus is subscribed.
import { createServer } from 'node:http';
import { createVerifier } from '@keyguard/core';
import { redisFleet } from '@keyguard/redis';
import { UnkeyClient, unkey } from '@keyguard/unkey';

const { ADAPTER, PROVIDER_URL, ROOT_KEY, REDIS_URL, FLEET_SECRET, FLEET_PREFIX, FRESH_MS } = process.env;

const answer = (apiKey) => ({ apiKey: apiKey?.id ?? null });

async function listen(server) {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${server.address().port}`;
}

/** GET /protected behind the adapter named ADAPTER (only its framework is loaded). */
async function serveWith(adapter, verifier) {
  switch (adapter) {
    case 'express': {
      const { default: express } = await import('express');
      const { keyguard: expressKeyguard } = await import('@keyguard/express');
      const app = express();
      app.get('/protected', expressKeyguard({ verifier }), (req, res) => void res.json(answer(req.apiKey)));
      return listen(createServer(app));
    }
    case 'fastify': {
      const { default: Fastify } = await import('fastify');
      const { keyguard: fastifyKeyguard } = await import('@keyguard/fastify');
      const app = Fastify();
      await app.register(fastifyKeyguard, { verifier });
      app.get('/protected', async (request) => answer(request.apiKey));
      return app.listen({ port: 0, host: '127.0.0.1' });
    }
    case 'hono': {
      const { createAdaptorServer } = await import('@hono/node-server');
      const { Hono } = await import('hono');
      const { keyguard: honoKeyguard } = await import('@keyguard/hono');
      const app = new Hono().get('/protected', honoKeyguard({ verifier }), (c) => c.json(answer(c.get('apiKey'))));
      return listen(createAdaptorServer({ fetch: app.fetch }));
    }
    case 'koa': {
      const { default: Koa } = await import('koa');
      const { keyguard: koaKeyguard } = await import('@keyguard/koa');
      const app = new Koa();
      app.use(koaKeyguard({ verifier }));
      app.use((ctx) => {
        ctx.body = answer(ctx.state.apiKey);
      });
      const handle = app.callback();
      return listen(createServer((request, response) => void handle(request, response)));
    }
    default:
      throw new Error(`unknown adapter ${adapter}`);
  }
}

// Generous Redis and lock deadlines: on a busy test machine, what is checked must not turn on timing.
const fleet = redisFleet({
  redis: REDIS_URL,
  secret: FLEET_SECRET,
  prefix: FLEET_PREFIX,
  timeoutMs: 2_000,
  lockMs: 10_000,
});
const client = new UnkeyClient({ rootKey: ROOT_KEY, baseUrl: PROVIDER_URL });
const verifier = createVerifier({
  provider: unkey({ rootKey: ROOT_KEY, baseUrl: PROVIDER_URL }),
  fleet,
  clients: [client],
  cache: { freshMs: Number(FRESH_MS) },
});

async function admin(request, response) {
  const revoke = /^\/keys\/([^/]+)\/delete$/.exec(request.url ?? '');
  if (request.method === 'POST' && revoke) {
    await client.keys.deleteKey({ keyId: decodeURIComponent(revoke[1]) });
    await fleet.flush();
    response.writeHead(204).end();
    return;
  }
  if (request.url === '/stats') {
    response
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ fleet: fleet.stats(), verifier: verifier.stats() }));
    return;
  }
  response.writeHead(404).end();
}

const url = await serveWith(ADAPTER, verifier);
const control = await listen(
  createServer((request, response) => void admin(request, response).catch(() => response.writeHead(500).end())),
);
await fleet.ready();
process.stdout.write(`${JSON.stringify({ url, control })}\n`);
