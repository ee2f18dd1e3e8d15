import { fleetOn } from './support/redis-fleet.js';

// @keyguard/redis on Deno: ioredis over Deno's node:net, commands and pub/sub.
fleetOn('deno', '@keyguard/redis on Deno');
