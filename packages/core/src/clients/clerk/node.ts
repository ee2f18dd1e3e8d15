import { nodeRuntime } from '../../runtime/node.js';
import { ClerkClientBase } from './client-base.js';
import type { ClerkClientOptions } from './types.js';

/** Clerk Backend API `api_keys` client for Node: an undici keep-alive pool per origin. */
export class ClerkClient extends ClerkClientBase {
  constructor(options: ClerkClientOptions) {
    super(options, nodeRuntime);
  }
}
