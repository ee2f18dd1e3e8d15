import { createAdaptorServer } from '@hono/node-server';
import type { Server } from 'node:http';
import { Hono } from 'hono';
import { keyguard } from '@keyguard/hono';
import { GUARD_QUERY, listen, passed, verifierFor } from '../fixtures.js';
import type { Harness } from '../fixtures.js';

const harness: Harness = {
  name: 'hono',
  async start(config) {
    const verifier = verifierFor(config);
    const auth = keyguard({ verifier });
    const app = new Hono()
      .get('/protected', auth, (c) => c.json(passed(c.get('apiKey'))))
      .get('/optional', keyguard({ verifier, optional: true }), (c) => c.json(passed(c.get('apiKey'))))
      .get('/guarded', auth, auth.requirePermissions(GUARD_QUERY), (c) => c.json(passed(c.get('apiKey'))));
    return listen(createAdaptorServer({ fetch: app.fetch }) as Server, () => verifier.close());
  },
};

export default harness;
