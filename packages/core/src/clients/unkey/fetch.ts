import { fetchRuntime } from '../../runtime/fetch.js';
import { UnkeyClientBase } from './client-base.js';
import type { UnkeyClientOptions } from './types.js';

/** Unkey API v2 client for fetch-only runtimes (edge, workers): global `fetch`, no Node built-ins. */
export class UnkeyClient extends UnkeyClientBase {
  constructor(options: UnkeyClientOptions) {
    super(options, fetchRuntime);
  }
}
