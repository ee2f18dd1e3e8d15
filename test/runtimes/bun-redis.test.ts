import { fleetOn } from './support/redis-fleet.js';

// @keyguard/redis on Bun: ioredis over Bun's node:net, commands and pub/sub.
fleetOn('bun', '@keyguard/redis on Bun');
