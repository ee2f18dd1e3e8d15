// One benchmark API server: FRAMEWORK × AUTH, answering GET /hello with a small JSON body.
// Its own process, so its CPU is measured apart from the load generator's.
import { createHash, timingSafeEqual } from 'node:crypto';
import { createVerifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { listening, reportOverIpc } from './ipc.mjs';

const { FRAMEWORK, AUTH, PROVIDER_URL, ROOT_KEY, KEY } = process.env;

if (AUTH === 'unkey-hono') {
  // @unkey/hono always talks to api.unkey.com; point its fetch calls at the local key service instead.
  const realFetch = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    if (typeof input === 'string' || input instanceof URL)
      return realFetch(String(input).replace('https://api.unkey.com', PROVIDER_URL), init);
    // A Request (possibly @hono/node-server's own Request class, hence no instanceof check).
    const { url, method, headers, body, signal } = input;
    const local = url.replace('https://api.unkey.com', PROVIDER_URL);
    return realFetch(local, { method, headers, body, signal, duplex: 'half', ...init });
  };
}
const body = { hello: 'world' };

// One member of a fleet (REDIS_URL set): the Redis fleet, and a client whose deletes this instance publishes.
const fleetMember = process.env.REDIS_URL ? await import('./fleet-member.mjs') : undefined;
const fleet = fleetMember?.fleet;

// Shared verifier: one per process, as the docs recommend. Only created when keyguard is measured.
// `keyguard-batched`: batched metering (metered keys admitted from memory, settled 100 at a time). CONNECTIONS sizes
// the provider's pool (default: keyguard's own).
const providerOptions = {
  rootKey: ROOT_KEY,
  baseUrl: PROVIDER_URL,
  ...(process.env.CONNECTIONS ? { connections: Number(process.env.CONNECTIONS) } : {}),
};
const verifier =
  AUTH === 'keyguard' || AUTH === 'keyguard-batched'
    ? createVerifier({
        provider: unkey(providerOptions),
        cache: { freshMs: 60_000 },
        ...(fleet ? { fleet, clients: [fleetMember.client] } : {}),
        ...(AUTH === 'keyguard-batched' ? { metering: { mode: 'batched', maxBatch: 100 } } : {}),
      })
    : undefined;

// Stats of the one valid key, for the flood benchmark's hit rate (the digest is how the verifier names it).
const validDigest = KEY ? createHash('sha256').update(KEY).digest('base64url') : '';
const validKeySources = { cache: 0, stale: 0, upstream: 0, local: 0 };
let peakHeap = 0;
setInterval(() => {
  peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
}, 200).unref();
const verifierHooks = {
  onVerification: ({ digest, verification }) => {
    if (digest === validDigest) validKeySources[verification.source] += 1;
  },
};
const floodVerifier =
  AUTH === 'keyguard-flood'
    ? createVerifier({
        provider: unkey({ rootKey: ROOT_KEY, baseUrl: PROVIDER_URL }),
        cache: { freshMs: 60_000 },
        hooks: verifierHooks,
      })
    : undefined;

async function start() {
  switch (FRAMEWORK) {
    case 'express': {
      const { default: express } = await import('express');
      const app = express();
      const handler = (_request, response) => void response.json(body);
      if (AUTH === 'keyguard') {
        // Route-level, as the README shows: the middleware runs only where it is mounted.
        const { keyguard } = await import('@keyguard/express');
        app.get('/hello', keyguard({ verifier }), handler);
      } else if (AUTH === 'noop') {
        // What Express charges for any one more middleware, for reference.
        app.get('/hello', (_request, _response, next) => next(), handler);
      } else if (AUTH === 'set-only') {
        // Only assigns req.apiKey: Express's request objects pay for the new property on every request.
        const key = { id: 'k' };
        app.get(
          '/hello',
          (request, _response, next) => {
            request.apiKey = key;
            next();
          },
          handler,
        );
      } else {
        app.get('/hello', handler);
      }
      return app.listen(0, '127.0.0.1');
    }
    case 'koa': {
      const { default: Koa } = await import('koa');
      const app = new Koa();
      if (AUTH === 'keyguard') {
        const { keyguard } = await import('@keyguard/koa');
        app.use(keyguard({ verifier }));
      } else if (AUTH === 'noop') {
        app.use((_context, next) => next());
      }
      app.use((context) => {
        context.body = body;
      });
      return app.listen(0, '127.0.0.1');
    }
    case 'fastify': {
      const { default: Fastify } = await import('fastify');
      const app = Fastify({ logger: false });
      if (AUTH === 'keyguard') {
        const { keyguard } = await import('@keyguard/fastify');
        await app.register(keyguard, { verifier });
      } else if (AUTH === 'noop') {
        app.addHook('onRequest', (_request, _reply, done) => done());
      } else if (AUTH === 'bearer-auth') {
        const { default: bearerAuth } = await import('@fastify/bearer-auth');
        await app.register(bearerAuth, { keys: new Set([KEY]) });
      }
      app.get('/hello', async () => body);
      await app.listen({ port: 0, host: '127.0.0.1' });
      return app.server;
    }
    case 'hono': {
      const { Hono } = await import('hono');
      const { serve } = await import('@hono/node-server');
      const app = new Hono();
      if (AUTH === 'keyguard' || AUTH === 'keyguard-batched' || AUTH === 'keyguard-flood') {
        const { keyguard } = await import('@keyguard/hono');
        // RATE_LIMIT_HEADERS=none: what a metered key's RateLimit headers cost Hono (a fetch Headers per response).
        app.use(
          '/hello',
          keyguard({
            verifier: verifier ?? floodVerifier,
            ...(process.env.RATE_LIMIT_HEADERS ? { rateLimitHeaders: process.env.RATE_LIMIT_HEADERS } : {}),
          }),
        );
      } else if (AUTH === 'noop') {
        app.use('/hello', async (_context, next) => {
          await next();
        });
      } else if (AUTH === 'hono-bearer') {
        const { bearerAuth } = await import('hono/bearer-auth');
        app.use('/hello', bearerAuth({ token: KEY }));
      } else if (AUTH === 'unkey-hono') {
        const { unkey: unkeyMiddleware } = await import('@unkey/hono');
        app.use('/hello', unkeyMiddleware({ rootKey: ROOT_KEY, serverURL: PROVIDER_URL }));
      } else if (AUTH === 'constant-time') {
        // What "comparing one key in memory" costs, for reference.
        const expected = Buffer.from(KEY);
        app.use('/hello', async (context, next) => {
          const given = Buffer.from((context.req.header('authorization') ?? '').slice(7));
          if (given.length !== expected.length || !timingSafeEqual(given, expected)) return context.text('no', 401);
          await next();
        });
      }
      app.get('/hello', (context) => context.json(body));
      return serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' });
    }
    case 'nest-express':
    case 'nest-fastify':
      return startNest();
    default:
      throw new Error(`unknown FRAMEWORK ${FRAMEWORK}`);
  }
}

// Nest on either platform, ApiKeyGuard global (APP_GUARD) as the @keyguard/nestjs README leads with. A .mjs file
// has no decorator syntax: Nest's decorators are applied as functions, as TypeScript's compiled output does.
async function startNest() {
  await import('reflect-metadata');
  const { Controller, Get, Injectable, Module } = await import('@nestjs/common');
  const { APP_GUARD, NestFactory } = await import('@nestjs/core');
  class HelloController {
    hello() {
      return body;
    }
  }
  Get('hello')(HelloController.prototype, 'hello', Object.getOwnPropertyDescriptor(HelloController.prototype, 'hello'));
  Controller()(HelloController);
  const imports = [];
  const providers = [];
  if (AUTH === 'keyguard') {
    const { ApiKeyGuard, KeyguardModule } = await import('@keyguard/nestjs');
    imports.push(KeyguardModule.forRoot({ verifier }));
    providers.push({ provide: APP_GUARD, useClass: ApiKeyGuard });
  } else if (AUTH === 'noop') {
    // What Nest charges for any one global guard, for reference.
    class NoopGuard {
      canActivate() {
        return true;
      }
    }
    Injectable()(NoopGuard);
    providers.push({ provide: APP_GUARD, useClass: NoopGuard });
  }
  class AppModule {}
  Module({ imports, controllers: [HelloController], providers })(AppModule);
  const adapter =
    FRAMEWORK === 'nest-express'
      ? new (await import('@nestjs/platform-express')).ExpressAdapter()
      : new (await import('@nestjs/platform-fastify')).FastifyAdapter();
  const app = await NestFactory.create(AppModule, adapter, { logger: false });
  await app.listen(0, '127.0.0.1');
  return app.getHttpServer();
}

const server = await start();
await listening(server);
if (fleet) await fleet.ready();
reportOverIpc(server, () => ({
  validKeySources,
  peakHeap,
  verifierStats: (verifier ?? floodVerifier)?.stats(),
  ...fleetMember?.report(),
}));
