import { Hono } from 'hono';
import { createVerifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { keyguard, requirePermissions } from '@keyguard/hono';

// A Cloudflare Worker outside the keyguard workspace: bundled from the node_modules npm installed there with the
// conditions wrangler uses (`workerd`, `worker`, `browser`), run by workerd. Its configuration arrives as bindings.
type Bindings = { KEYGUARD_ROOT_KEY: string; KEYGUARD_BASE_URL: string };

function createApp(env: Bindings) {
  // One verifier per isolate, made on the first request (bindings are not known before).
  const verifier = createVerifier({
    provider: unkey({ rootKey: env.KEYGUARD_ROOT_KEY, baseUrl: env.KEYGUARD_BASE_URL }),
  });
  return new Hono().get('/documents', keyguard({ verifier }), requirePermissions('documents.read'), (c) =>
    c.json({ caller: c.get('apiKey').id }),
  );
}

let app: ReturnType<typeof createApp> | undefined;

export default {
  fetch(request: Request, env: Bindings): Response | Promise<Response> {
    app ??= createApp(env);
    return app.fetch(request, env);
  },
};
