// `@keyguard/core/runtime` on Bun (the `bun` condition of core's package exports): fetch, node:crypto, OpenTelemetry.
import { bunRuntime } from '../runtime/bun.js';
import type { Runtime } from '../runtime/types.js';

export const runtime: Runtime = bunRuntime;
export type { Runtime } from '../runtime/types.js';
