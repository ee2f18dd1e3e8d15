// `@keyguard/core/runtime` on Bun (the `bun` condition of core's package exports): fetch, node:crypto, OpenTelemetry.
import { bunRuntime } from '../runtime/bun.js';
import type { Runtime } from '../runtime/types.js';

/**
 * This build's runtime (Bun: `fetch` and node:crypto), the default of `unkey()`, `clerk()` and their clients.
 *
 * @example
 * ```ts
 * import { runtime } from '@keyguard/core/runtime';
 * import { unkey } from '@keyguard/unkey';
 *
 * const provider = unkey({ rootKey: process.env.UNKEY_ROOT_KEY! }, runtime);
 * ```
 */
export const runtime: Runtime = bunRuntime;
export type { Runtime } from '../runtime/types.js';
