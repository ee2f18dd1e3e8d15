import { compareReadmeAppWithNode } from './support/hono-readme.js';

// packages/hono/README.md's app, as written there (@hono/node-server and all), under Bun and under Node against the
// same local key service: the same statuses, problem bodies and headers.
compareReadmeAppWithNode('bun', "the Hono README's app on Bun");
