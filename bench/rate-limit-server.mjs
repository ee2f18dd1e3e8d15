// One server of `bench/rate-limit.mjs`: `{"hello":"world"}` on GET /hello behind one rate limiter, chosen by CONFIG,
// every request counted against the client's IP under a limit never reached (1e9 a minute), so each configuration's
// cost is its admit path. keyguard's rateLimit() on Express with each backend; the peers as their docs set them up.
import { createServer } from 'node:http';
import { memoryRateLimitBackend } from '@keyguard/core';
import { rateLimit } from '@keyguard/express';
import { rateLimitPlugin } from '@keyguard/fastify';
import { redisRateLimitBackend } from '@keyguard/redis';
import { unkeyRateLimitBackend } from '@keyguard/unkey';
import fastifyRateLimit from '@fastify/rate-limit';
import { Ratelimit } from '@unkey/ratelimit';
import express from 'express';
import expressRateLimit from 'express-rate-limit';
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { RedisStore } from 'rate-limit-redis';
import { listening, reportOverIpc } from './servers/ipc.mjs';

const config = process.env.CONFIG;
const LIMIT = 1_000_000_000;
const redis = () => new Redis(process.env.REDIS_URL);
const unkeyOptions = () => ({ rootKey: process.env.ROOT_KEY, baseUrl: process.env.UNKEY_URL });
// A generous timeout: under callgrind (`--instructions`) the app runs some 50× slower, and 1 s would turn waits into 503s.
const keyguard = (backend, mode) =>
  rateLimit({ backend, namespace: 'bench', limit: LIMIT, duration: '1m', mode, timeoutMs: 30_000 });

/** The Express middleware of a configuration (none: no limiter). */
function expressLimiter() {
  switch (config) {
    case 'express':
      return undefined;
    // An empty middleware mounted as the limiters are: what the framework charges for the step itself.
    case 'express-noop':
      return (_request, _response, next) => next();
    case 'keyguard-memory':
      return keyguard(memoryRateLimitBackend());
    case 'keyguard-redis':
      return keyguard(redisRateLimitBackend({ redis: redis() }), 'batched');
    case 'keyguard-redis-strict':
      return keyguard(redisRateLimitBackend({ redis: redis() }), 'strict');
    case 'keyguard-unkey':
      return keyguard(unkeyRateLimitBackend(unkeyOptions()), 'batched');
    case 'keyguard-unkey-strict':
      return keyguard(unkeyRateLimitBackend(unkeyOptions()), 'strict');
    case 'express-rate-limit':
      return expressRateLimit({ windowMs: 60_000, limit: LIMIT, standardHeaders: 'draft-8', legacyHeaders: false });
    case 'express-rate-limit-redis': {
      const client = redis();
      const store = new RedisStore({ sendCommand: (command, ...args) => client.call(command, ...args) });
      return expressRateLimit({
        windowMs: 60_000,
        limit: LIMIT,
        standardHeaders: 'draft-8',
        legacyHeaders: false,
        store,
      });
    }
    case 'unkey-ratelimit': {
      const limiter = new Ratelimit({ ...unkeyOptions(), namespace: 'bench', limit: LIMIT, duration: '1m' });
      return (request, response, next) => {
        limiter.limit(request.socket.remoteAddress).then((answer) => {
          if (answer.success) next();
          else response.status(429).end();
        }, next);
      };
    }
    default:
      return null;
  }
}

async function fastifyServer() {
  const app = Fastify();
  if (config === 'fastify-rate-limit') await app.register(fastifyRateLimit, { max: LIMIT, timeWindow: 60_000 });
  const options = { namespace: 'bench', limit: LIMIT, duration: '1m', timeoutMs: 30_000 };
  if (config === 'keyguard-fastify')
    await app.register(rateLimitPlugin, { ...options, backend: memoryRateLimitBackend() });
  if (config === 'keyguard-fastify-redis')
    await app.register(rateLimitPlugin, { ...options, backend: redisRateLimitBackend({ redis: redis() }) });
  if (config === 'fastify-rate-limit-redis')
    await app.register(fastifyRateLimit, { max: LIMIT, timeWindow: 60_000, redis: redis() });
  app.get('/hello', async () => ({ hello: 'world' }));
  await app.listen({ port: 0, host: '127.0.0.1' });
  return app.server;
}

let server;
const middleware = expressLimiter();
if (middleware === null) {
  if (!/^(keyguard-)?fastify/.test(config ?? '')) throw new Error(`unknown CONFIG ${config}`);
  server = await fastifyServer();
} else {
  const app = express();
  if (middleware) app.use('/hello', middleware);
  app.get('/hello', (_request, response) => void response.json({ hello: 'world' }));
  server = createServer(app);
  server.keepAliveTimeout = 60_000;
  server.listen(0, '127.0.0.1');
  await listening(server);
}
reportOverIpc(server);
