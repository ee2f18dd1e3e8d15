import { Hono, type ExecutionContext } from 'hono';
import { keyguard } from '@keyguard/hono';
import { GUARD_QUERY, passed, verifierFor, type ProviderConfig } from '../../conformance/fixtures.js';

// The Worker the workerd harness runs: the routes of test/conformance/harnesses/hono.ts, bundled for workerd
// (support/edge-bundle.ts). A Worker reads its settings from `env`, which it first sees in a request: the app and its
// verifier are made on the first request and kept for the isolate's life, so later requests share its cache.

interface Env {
  /** What `verifierFor` builds the verifier from (a JSON binding). */
  PROVIDER_CONFIG: ProviderConfig;
}

let app: Hono | undefined;

function appFor(config: ProviderConfig): Hono {
  const verifier = verifierFor(config);
  const auth = keyguard({ verifier });
  return new Hono()
    .get('/protected', auth, (c) => c.json(passed(c.get('apiKey'))))
    .get('/optional', keyguard({ verifier, optional: true }), (c) => c.json(passed(c.get('apiKey'))))
    .get('/guarded', auth, auth.requirePermissions(GUARD_QUERY), (c) => c.json(passed(c.get('apiKey'))));
}

export default {
  fetch(request: Request, env: Env, context: ExecutionContext): Response | Promise<Response> {
    app ??= appFor(env.PROVIDER_CONFIG);
    return app.fetch(request, env, context);
  },
};
