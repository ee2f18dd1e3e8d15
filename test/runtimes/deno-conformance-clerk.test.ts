import { runTableOn } from './support/runtime-table.js';

// The conformance table in Clerk mode (the local key service's Clerk endpoints) on Deno: Hono, Express, Fastify, Koa and Nest
// (on Express and on Fastify), each in a Deno process of its own.
await runTableOn('deno', 'clerk');
