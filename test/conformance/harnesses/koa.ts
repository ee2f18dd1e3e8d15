import { createServer } from 'node:http';
import Koa from 'koa';
import type { Middleware } from 'koa';
import { memoryRateLimitBackend } from '@keyguard/core';
import { keyguard, rateLimit } from '@keyguard/koa';
import type { KeyguardState } from '@keyguard/koa';
import { API_KEY_KINDS, GUARD_QUERY, MACHINE_KINDS, listen, passed, passedKind, verifierFor } from '../fixtures.js';
import type { Harness } from '../fixtures.js';
import { RATE_LIMITED_ROUTES, rateLimitOptionsFor } from '../rate-limit-routes.js';

/** Runs a route's middlewares in order, as a router would (no router dependency needed for three routes). */
function route(...chain: Middleware<KeyguardState>[]): Middleware<KeyguardState> {
  return (ctx, next) => {
    const run = (index: number): Promise<void> =>
      Promise.resolve(index < chain.length ? chain[index]!(ctx, () => run(index + 1)) : next());
    return run(0);
  };
}

const harness: Harness = {
  name: 'koa',
  async start(config) {
    const verifier = verifierFor(config);
    const auth = keyguard({ verifier });
    const answer: Middleware<KeyguardState> = (ctx) => {
      ctx.body = passed(ctx.state.apiKey);
    };
    const answerKind: Middleware<KeyguardState> = (ctx) => {
      ctx.body = passedKind(ctx.state.apiKey);
    };
    const routes: Record<string, Middleware<KeyguardState>> = {
      '/protected': route(auth, answer),
      '/optional': route(keyguard({ verifier, optional: true }), answer),
      '/guarded': route(auth, auth.requirePermissions(GUARD_QUERY), answer),
      '/machines': route(keyguard({ verifier, accepts: MACHINE_KINDS }), answerKind),
      '/api-keys': route(
        keyguard({ verifier, accepts: API_KEY_KINDS }),
        auth.requirePermissions(GUARD_QUERY),
        answerKind,
      ),
    };
    const backend = memoryRateLimitBackend();
    for (const limited of RATE_LIMITED_ROUTES) {
      const limit = rateLimit(rateLimitOptionsFor(limited, backend));
      routes[limited.path] = limited.afterKeyguard ? route(auth, limit, answer) : route(limit, answer);
    }
    const app = new Koa<KeyguardState>();
    app.use((ctx, next) => (Object.hasOwn(routes, ctx.path) ? routes[ctx.path]!(ctx, next) : next()));
    const handle = app.callback();
    // Koa's handler settles its own errors; the promise it returns is not for the server.
    return listen(
      createServer((request, response) => void handle(request, response)),
      () => verifier.close(),
    );
  },
};

export default harness;
