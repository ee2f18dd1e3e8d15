import { createServer } from 'node:http';
import express from 'express';
import { memoryRateLimitBackend } from '@keyguard/core';
import { keyguard, rateLimit } from '@keyguard/express';
import { API_KEY_KINDS, GUARD_QUERY, MACHINE_KINDS, listen, passed, passedKind, verifierFor } from '../fixtures.js';
import type { Harness } from '../fixtures.js';
import { RATE_LIMITED_ROUTES, rateLimitOptionsFor } from '../rate-limit-routes.js';

/** The Express harness on a given `express()`: express4.ts runs the same routes on Express 4. */
export function expressHarness(name: string, createApp: typeof express): Harness {
  return {
    name,
    async start(config) {
      const verifier = verifierFor(config);
      const auth = keyguard({ verifier });
      const app = createApp();
      app.get('/protected', auth, (req, res) => void res.json(passed(req.apiKey)));
      app.get('/optional', keyguard({ verifier, optional: true }), (req, res) => void res.json(passed(req.apiKey)));
      app.get('/guarded', auth, auth.requirePermissions(GUARD_QUERY), (req, res) => void res.json(passed(req.apiKey)));
      const answerKind = (req: express.Request, res: express.Response) => void res.json(passedKind(req.apiKey));
      app.get('/machines', keyguard({ verifier, accepts: MACHINE_KINDS }), answerKind);
      app.get(
        '/api-keys',
        keyguard({ verifier, accepts: API_KEY_KINDS }),
        auth.requirePermissions(GUARD_QUERY),
        answerKind,
      );
      const backend = memoryRateLimitBackend();
      for (const route of RATE_LIMITED_ROUTES) {
        const limit = rateLimit(rateLimitOptionsFor(route, backend));
        const chain = route.afterKeyguard ? [auth, limit] : [limit];
        app.get(route.path, ...chain, (req, res) => void res.json(passed(req.apiKey)));
      }
      return listen(createServer(app), () => verifier.close());
    },
  };
}

export default expressHarness('express', express);
