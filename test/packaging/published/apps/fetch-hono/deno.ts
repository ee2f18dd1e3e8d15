import { Hono } from 'hono';
import { createVerifier } from '@keyguard/core';
import { unkey } from '@keyguard/unkey';
import { keyguard, requirePermissions } from '@keyguard/hono';

// A Deno app outside the keyguard workspace, on the node_modules npm installed there (`--node-modules-dir=manual`).
declare const Deno: {
  env: { get(name: string): string | undefined };
  serve(
    options: { hostname: string; port: number; onListen: (address: { port: number }) => void },
    handler: (request: Request) => Response | Promise<Response>,
  ): unknown;
};

const rootKey = Deno.env.get('KEYGUARD_ROOT_KEY');
const baseUrl = Deno.env.get('KEYGUARD_BASE_URL');
if (!rootKey || !baseUrl) throw new Error('set KEYGUARD_ROOT_KEY and KEYGUARD_BASE_URL');

const verifier = createVerifier({ provider: unkey({ rootKey, baseUrl }) });
const app = new Hono().get('/documents', keyguard({ verifier }), requirePermissions('documents.read'), (c) =>
  c.json({ caller: c.get('apiKey').id }),
);

Deno.serve(
  { hostname: '127.0.0.1', port: 0, onListen: ({ port }) => console.log(`listening http://127.0.0.1:${port}`) },
  app.fetch,
);
