import type { Logger } from '@keyguard/core';
import type { RedisClient } from '../keys/scripts.js';

const WARN_EVERY_MS = 60_000;

/**
 * Whether to use Redis right now. After a failure (an error, a timeout) the fleet leaves Redis alone for `retryMs`,
 * so a slow Redis costs one timeout, not one per request. One warning per outage, at most one a minute.
 */
export class Availability {
  private skipUntil = 0;
  private down = false;
  private lastWarnedAt = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly client: RedisClient,
    private readonly retryMs: number,
    private readonly logger: Logger,
    private readonly prefix: string,
  ) {}

  usable(): boolean {
    return this.client.status === 'ready' && Date.now() >= this.skipUntil;
  }

  failed(error: unknown): void {
    const now = Date.now();
    this.skipUntil = now + this.retryMs;
    if (this.down) return;
    this.down = true;
    if (now - this.lastWarnedAt < WARN_EVERY_MS) return;
    this.lastWarnedAt = now;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.warn(
      `keyguard: Redis is unavailable (${reason}); verifying with memory and the key service until it is back`,
      { prefix: this.prefix },
    );
  }

  /** A command succeeded again. */
  recovered(): void {
    this.down = false;
  }

  /** The connection is ready again: worth trying at once, whatever failed before. */
  reconnected(): void {
    this.skipUntil = 0;
  }
}
