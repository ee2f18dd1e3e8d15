// `@keyguard/core/runtime` on fetch-only runtimes (edge, workers): global fetch and Web Crypto, no Node built-ins.
import { fetchRuntime } from '../runtime/fetch.js';
import type { Runtime } from '../runtime/types.js';

/**
 * This build's runtime (global `fetch` and Web Crypto), the default of `unkey()`, `clerk()` and their clients.
 *
 * @example
 * ```ts
 * import { runtime } from '@keyguard/core/runtime';
 * import { unkey } from '@keyguard/unkey';
 *
 * const provider = unkey({ rootKey: process.env.UNKEY_ROOT_KEY! }, runtime);
 * ```
 */
export const runtime: Runtime = fetchRuntime;
export type { Runtime } from '../runtime/types.js';
