import { fetchRuntime } from '../../runtime/fetch.js';
import { ClerkClientBase } from './client-base.js';
import type { ClerkClientOptions } from './types.js';

/** Clerk Backend API `api_keys` client for fetch-only runtimes (edge, workers): global `fetch`, no Node built-ins. */
export class ClerkClient extends ClerkClientBase {
  constructor(options: ClerkClientOptions) {
    super(options, fetchRuntime);
  }
}
