import { runTableOn } from './support/runtime-table.js';

// The conformance table in Unkey mode (the fake Unkey of test/support) on Bun: Hono, Express, Fastify, Koa and Nest
// (on Express and on Fastify), each in a Bun process of its own.
await runTableOn('bun', 'unkey');
