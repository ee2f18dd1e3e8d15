// `@keyguard/core/runtime` on Node: undici keep-alive pools and node:crypto. Under the edge conditions of core's
// package exports (`edge-light`, `workerd`, `worker`, `browser`) the same import resolves to runtime.edge.ts.
import { nodeRuntime } from '../runtime/node.js';
import type { Runtime } from '../runtime/types.js';

/**
 * This build's runtime (Node: undici and node:crypto), the default of `unkey()`, `clerk()` and their clients.
 *
 * @example
 * ```ts
 * import { runtime } from '@keyguard/core/runtime';
 * import { unkey } from '@keyguard/unkey';
 *
 * const provider = unkey({ rootKey: process.env.UNKEY_ROOT_KEY! }, runtime);
 * ```
 */
export const runtime: Runtime = nodeRuntime;
export type { Runtime } from '../runtime/types.js';
