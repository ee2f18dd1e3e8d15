// What app.mjs adds when it is one instance of a fleet (REDIS_URL): the Redis fleet, an UnkeyClient whose deletes
// this instance publishes (the orchestrator's `revoke` message), and the bus lag of every invalidation received
// (published by one process, dropped by this one: both clocks are this machine's). For reference, each revocation is
// followed by one bare PUBLISH of a timestamp on another channel, and the lag of those is recorded too: what the
// machine gives any pub/sub message at that moment.
import { Redis } from 'ioredis';
import { redisFleet } from '@keyguard/redis';
import { UnkeyClient } from '@keyguard/unkey';

const { REDIS_URL, FLEET_SECRET, FLEET_PREFIX, PROVIDER_URL, ROOT_KEY } = process.env;
const REFERENCE_CHANNEL = 'bench:reference';
const preciseNow = () => performance.timeOrigin + performance.now();
const lagsMs = [];
const referenceLagsMs = [];

export const fleet = redisFleet({
  redis: REDIS_URL,
  secret: FLEET_SECRET,
  prefix: FLEET_PREFIX,
  onInvalidation: ({ publishedAt, droppedAt }) => lagsMs.push(droppedAt - publishedAt),
});
export const client = new UnkeyClient({ rootKey: ROOT_KEY, baseUrl: PROVIDER_URL });

const publisher = new Redis(REDIS_URL);
const subscriber = new Redis(REDIS_URL);
await subscriber.subscribe(REFERENCE_CHANNEL);
subscriber.on('message', (_channel, text) => referenceLagsMs.push(preciseNow() - Number(text)));

process.on('message', (message) => {
  if (message?.type !== 'revoke') return;
  const done = (error) => process.send({ type: 'revoked', keyId: message.keyId, error: error?.message });
  client.keys
    .deleteKey({ keyId: message.keyId })
    .then(() => fleet.flush())
    .then(() => publisher.publish(REFERENCE_CHANNEL, String(preciseNow())))
    .then(() => done(), done);
});

export const report = () => ({ fleet: fleet.stats(), lagsMs, referenceLagsMs });
