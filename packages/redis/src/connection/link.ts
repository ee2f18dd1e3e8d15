import { FleetRedisError } from '../errors.js';
import type { RedisClient } from '../keys/scripts.js';
import type { Availability } from './availability.js';

/** The command connection as the fleet uses it: every command bounded in time, every failure absorbed. */
export class RedisLink {
  constructor(
    readonly client: RedisClient,
    readonly availability: Availability,
    private readonly timeoutMs: number,
  ) {}

  /** `{ value }` of the command, or undefined when Redis is unusable, failed or did not answer in time. */
  async attempt<T>(command: (client: RedisClient) => Promise<T>): Promise<{ value: T } | undefined> {
    if (!this.availability.usable()) return undefined;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_resolve, reject) => {
      // Rejected from setImmediate, after this turn's I/O: when the event loop was busy past the deadline, an answer
      // already waiting on the socket is read first instead of being taken for a timeout.
      const expire = () =>
        reject(new FleetRedisError('REDIS_TIMEOUT', `Redis did not answer within ${this.timeoutMs} ms`));
      timer = setTimeout(() => setImmediate(expire), this.timeoutMs);
    });
    try {
      const value = await Promise.race([command(this.client), timeout]);
      this.availability.recovered();
      return { value };
    } catch (error) {
      this.availability.failed(error);
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }
}
