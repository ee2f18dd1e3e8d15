import { Hono } from 'hono';
import { keyguard } from '@keyguard/hono';
import { GUARD_QUERY, passed, verifierFor } from '../../../conformance/fixtures.js';
import { announce, providerConfigFromEnv } from './app-env.js';

// The Hono harness's app (test/conformance/harnesses/hono.ts) on the runtime's own server instead of
// @hono/node-server: Bun.serve on Bun, Deno.serve on Deno, as a Hono app is served there.
declare const Bun:
  | {
      serve(options: { fetch: (request: Request) => Response | Promise<Response>; hostname: string; port: number }): {
        port: number;
      };
    }
  | undefined;
declare const Deno:
  | {
      serve(
        options: { hostname: string; port: number; onListen(address: { port: number }): void },
        handler: (request: Request) => Response | Promise<Response>,
      ): unknown;
    }
  | undefined;

const verifier = verifierFor(providerConfigFromEnv());
const auth = keyguard({ verifier });
const app = new Hono()
  .get('/protected', auth, (c) => c.json(passed(c.get('apiKey'))))
  .get('/optional', keyguard({ verifier, optional: true }), (c) => c.json(passed(c.get('apiKey'))))
  .get('/guarded', auth, auth.requirePermissions(GUARD_QUERY), (c) => c.json(passed(c.get('apiKey'))));

const hostname = '127.0.0.1';
if (typeof Bun !== 'undefined')
  announce(`http://${hostname}:${Bun.serve({ fetch: app.fetch, hostname, port: 0 }).port}`);
else if (typeof Deno !== 'undefined')
  Deno.serve({ hostname, port: 0, onListen: ({ port }) => announce(`http://${hostname}:${port}`) }, app.fetch);
else throw new Error('hono-native runs on Bun or Deno');
