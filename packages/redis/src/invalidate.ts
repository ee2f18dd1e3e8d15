import { randomBytes } from 'node:crypto';
import { ConfigurationError } from '@keyguard/core';
import { Redis } from 'ioredis';
import { runInvalidation } from './bus/publisher.js';
import { formatMessage } from './bus/message.js';
import { closeConnection } from './connection/clients.js';
import { layoutFor } from './keys/layout.js';
import type { RedisClient } from './keys/scripts.js';
import { checkedPrefix } from './options.js';

export interface InvalidateFleetOptions {
  /** The fleet's Redis: a URL (a connection is opened and closed for this call) or an ioredis client. */
  redis: string | RedisClient;
  /** The fleet's `prefix` (default `keyguard`). */
  prefix?: string;
  /** Longest wait for Redis (default 5 s: someone is waiting at a terminal, not a request). */
  timeoutMs?: number;
}

/**
 * Tells every instance of a fleet to drop a key id's answers (or all of them), from outside any verifier: an admin
 * backend, a webhook, `keyguard invalidate`. Needs no secret: it names keys by id, never by their key. Answers the
 * invalidation's number on the bus; throws when Redis cannot be reached (the caller must know it did not happen).
 */
export async function invalidateFleet(
  target: { keyId: string } | { all: true },
  options: InvalidateFleetOptions,
): Promise<number> {
  const invalidation = 'keyId' in target ? { keyId: target.keyId } : { all: true as const };
  if (invalidation.keyId !== undefined && (typeof invalidation.keyId !== 'string' || invalidation.keyId === ''))
    throw new ConfigurationError('invalidateFleet needs a non-empty keyId');
  const layout = layoutFor(checkedPrefix(options.prefix));
  const timeoutMs = options.timeoutMs ?? 5_000;
  const client =
    typeof options.redis === 'string'
      ? new Redis(options.redis, {
          lazyConnect: true,
          connectTimeout: timeoutMs,
          commandTimeout: timeoutMs,
          maxRetriesPerRequest: 0,
          retryStrategy: () => null,
        })
      : options.redis;
  // The connection's errors reach the caller through the failed command; no unhandled 'error' event besides.
  if (typeof options.redis === 'string') client.on('error', () => {});
  try {
    if (client instanceof Redis && client.status === 'wait') await client.connect();
    const message = formatMessage(`cli-${randomBytes(4).toString('hex')}`, Date.now(), invalidation);
    return Number(await runInvalidation(client, layout, invalidation, invalidation.keyId ?? '', message));
  } finally {
    if (typeof options.redis === 'string') await closeConnection(client, timeoutMs);
  }
}
