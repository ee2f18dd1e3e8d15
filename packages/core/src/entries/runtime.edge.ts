// `@keyguard/core/runtime` on fetch-only runtimes (edge, workers): global fetch and Web Crypto, no Node built-ins.
import { fetchRuntime } from '../runtime/fetch.js';
import type { Runtime } from '../runtime/types.js';

export const runtime: Runtime = fetchRuntime;
export type { Runtime } from '../runtime/types.js';
