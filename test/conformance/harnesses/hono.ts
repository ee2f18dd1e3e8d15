import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { Hono } from 'hono';
import type { Context } from 'hono';
import type { KeyguardEnv } from '@keyguard/hono';
import { memoryRateLimitBackend } from '@keyguard/core';
import { keyguard, rateLimit } from '@keyguard/hono';
import { API_KEY_KINDS, GUARD_QUERY, MACHINE_KINDS, listen, passed, passedKind, verifierFor } from '../fixtures.js';
import type { Harness } from '../fixtures.js';
import { RATE_LIMITED_ROUTES, rateLimitOptionsFor } from '../rate-limit-routes.js';

const harness: Harness = {
  name: 'hono',
  async start(config) {
    const verifier = verifierFor(config);
    const auth = keyguard({ verifier });
    const app = new Hono()
      .get('/protected', auth, (c) => c.json(passed(c.get('apiKey'))))
      .get('/optional', keyguard({ verifier, optional: true }), (c) => c.json(passed(c.get('apiKey'))))
      .get('/guarded', auth, auth.requirePermissions(GUARD_QUERY), (c) => c.json(passed(c.get('apiKey'))))
      .get('/machines', keyguard({ verifier, accepts: MACHINE_KINDS }), (c) => c.json(passedKind(c.get('apiKey'))))
      .get('/api-keys', keyguard({ verifier, accepts: API_KEY_KINDS }), auth.requirePermissions(GUARD_QUERY), (c) =>
        c.json(passedKind(c.get('apiKey'))),
      );
    const backend = memoryRateLimitBackend();
    for (const route of RATE_LIMITED_ROUTES) {
      const limit = rateLimit(rateLimitOptionsFor(route, backend));
      const answer = (c: Context<KeyguardEnv>) => c.json(passed(c.get('apiKey')));
      if (route.afterKeyguard) app.get(route.path, auth, limit, answer);
      else app.get(route.path, limit, answer);
    }
    return listen(createAdaptorServer({ fetch: app.fetch }) as Server, () => verifier.close());
  },
};

export default harness;
