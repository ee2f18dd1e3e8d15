import { runTableOn } from './support/runtime-table.js';

// The conformance table in Clerk mode (the local key service's Clerk endpoints) on Bun: Hono, Express, Fastify, Koa and Nest
// (on Express and on Fastify), each in a Bun process of its own.
await runTableOn('bun', 'clerk');
