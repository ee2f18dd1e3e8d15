// `@keyguard/core/runtime` on Node: undici keep-alive pools and node:crypto. Under the edge conditions of core's
// package exports (`edge-light`, `workerd`, `worker`, `browser`) the same import resolves to runtime.edge.ts.
import { nodeRuntime } from '../runtime/node.js';
import type { Runtime } from '../runtime/types.js';

export const runtime: Runtime = nodeRuntime;
export type { Runtime } from '../runtime/types.js';
