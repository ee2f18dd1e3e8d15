import { runTableOn } from './support/runtime-table.js';

// The conformance table in Unkey mode (the fake Unkey of test/support) on Deno: Hono, Express, Fastify, Koa and Nest
// (on Express and on Fastify), each in a Deno process of its own.
await runTableOn('deno', 'unkey');
