import Fastify from 'fastify';
import { keyguard } from '@keyguard/fastify';
import { GUARD_QUERY, passed, verifierFor } from '../fixtures.js';
import type { Harness } from '../fixtures.js';

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
