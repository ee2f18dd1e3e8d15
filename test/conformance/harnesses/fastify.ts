import Fastify from 'fastify';
import { memoryRateLimitBackend } from '@keyguard/core';
import { keyguard, rateLimit } from '@keyguard/fastify';
import { API_KEY_KINDS, GUARD_QUERY, MACHINE_KINDS, passed, passedKind, verifierFor } from '../fixtures.js';
import type { Harness } from '../fixtures.js';
import { RATE_LIMITED_ROUTES, rateLimitOptionsFor } from '../rate-limit-routes.js';

const harness: Harness = {
  name: 'fastify',
  async start(config) {
    const verifier = verifierFor(config);
    const app = Fastify({ forceCloseConnections: true });
    await app.register(keyguard, { verifier });
    app.get('/protected', async (request) => passed(request.apiKey));
    app.get('/optional', { config: { keyguard: { optional: true } } }, async (request) => passed(request.apiKey));
    app.get('/guarded', { config: { keyguard: { permissions: GUARD_QUERY } } }, async (request) =>
      passed(request.apiKey),
    );
    // One plugin for the scope; each route names the kinds it takes in its config.
    app.get('/machines', { config: { keyguard: { accepts: MACHINE_KINDS } } }, async (request) =>
      passedKind(request.apiKey),
    );
    app.get(
      '/api-keys',
      { config: { keyguard: { accepts: API_KEY_KINDS, permissions: GUARD_QUERY } } },
      async (request) => passedKind(request.apiKey),
    );
    // The hook on each route (the plugin's route config is tested in @keyguard/fastify's own tests); keyguard's
    // `onRequest` runs before a route's own hooks, so only keyed routes go inside its scope.
    const backend = memoryRateLimitBackend();
    for (const route of RATE_LIMITED_ROUTES) {
      const hook = rateLimit(rateLimitOptionsFor(route, backend));
      const config = route.afterKeyguard ? {} : { keyguard: { optional: true } };
      app.get(route.path, { onRequest: hook, config }, async (request) => passed(request.apiKey));
    }
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    return {
      url,
      async close() {
        await app.close();
        await verifier.close();
      },
    };
  },
};

export default harness;
