import * as nodeCrypto from 'node:crypto';
import { FetchTransport } from './fetch.js';
import { findOpenTelemetry } from './node-telemetry.js';
import type { Runtime } from './types.js';

/**
 * Bun: its global `fetch`, node:crypto's synchronous SHA-256, and OpenTelemetry found the way Node finds it.
 * Bun's `undici` is a partial built-in whose pools can neither dispatch nor close, so the Node transport cannot run
 * there; of what can, fetch costs the least CPU per verification (`node:http` about 1.5 ×, Bun's `undici.request` is
 * fetch underneath: bench/bun-transport.mjs). The synchronous digest lets the adapters answer a cache hit without a
 * promise, as on Node (0.27 µs of CPU against 7.8 with Web Crypto's, same bench). The connection settings of
 * `TransportOptions` belong to Bun's fetch here.
 */
export const bunRuntime: Runtime = {
  name: 'bun',
  createTransport: (baseUrl, options = {}) => new FetchTransport(baseUrl, options),
  digest: (key) => nodeCrypto.hash('sha256', key, 'base64url'),
  findTelemetry: findOpenTelemetry,
};
