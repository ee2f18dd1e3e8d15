import { Hono } from 'hono';
import { createVerifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { keyguard, requirePermissions } from '@keyguard/hono';

// A Bun app outside the keyguard workspace, with the packed packages installed by npm: `bun bun.ts`.
declare const Bun: {
  serve(options: { hostname: string; port: number; fetch: (request: Request) => Response | Promise<Response> }): {
    port: number;
  };
};

const rootKey = process.env.KEYGUARD_ROOT_KEY;
const baseUrl = process.env.KEYGUARD_BASE_URL;
if (!rootKey || !baseUrl) throw new Error('set KEYGUARD_ROOT_KEY and KEYGUARD_BASE_URL');

const verifier = createVerifier({ provider: unkey({ rootKey, baseUrl }) });
const app = new Hono().get('/documents', keyguard({ verifier }), requirePermissions('documents.read'), (c) =>
  c.json({ caller: c.get('apiKey').id }),
);

const server = Bun.serve({ hostname: '127.0.0.1', port: 0, fetch: app.fetch });
console.log(`listening http://127.0.0.1:${server.port}`);
