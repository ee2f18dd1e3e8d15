import { nodeRuntime } from '../../runtime/node.js';
import { UnkeyClientBase } from './client-base.js';
import type { UnkeyClientOptions } from './types.js';

/** Unkey API v2 client for Node: an undici keep-alive pool per origin. */
export class UnkeyClient extends UnkeyClientBase {
  constructor(options: UnkeyClientOptions) {
    super(options, nodeRuntime);
  }
}
