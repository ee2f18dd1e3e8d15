/**
 * Where a fleet keeps things in Redis. Every key starts with the hash tag `{prefix}:`, so on Redis Cluster they all
 * live in one slot and a script may touch several of them; the scripts build the names below from `root`:
 *
 * - `root seq`                  invalidations published so far (each bus message carries its number)
 * - `root seq:at`               Redis time of the last one (tells a number given twice by a lossy failover apart)
 * - `root bus`                  the bus's identity, new whenever Redis lost its data (see SYNC)
 * - `root gen`                  bumped by "invalidate everything": entries of older generations are never read again
 * - `root v:<gen>:<name>`       a shared answer (signed), `name` being the keyed digest of the key (never the key)
 * - `root l:<name>`             the lock of the one instance asking the provider about a new key
 * - `root k:<keyId>`            the name of a key id's answer, to drop it by id
 * - `root t:all` / `t:d:<name>` / `t:k:<keyId>`   when the last invalidation happened (Redis time), so an answer
 *                               asked for before it is not shared after it
 * - `root m:<budget>:<window>`  batched metering: a hash of each instance's unconfirmed admissions of one budget
 *                               (`credits:<keyId>` or `limit:<limit id>`) in one window (its end, unix ms; `inf` for
 *                               credits), field = instance, value = "<count>:<Redis time it fades>"
 *
 * The bus is the pub/sub channel `<prefix>:invalidations` (a channel is not a key: no hash tag needed).
 */
export interface Layout {
  root: string;
  /** The key a script is routed by on Redis Cluster (the slot every other key shares). */
  anchor: string;
  channel: string;
}

export function layoutFor(prefix: string): Layout {
  const root = `{${prefix}}:`;
  return { root, anchor: `${root}seq`, channel: `${prefix}:invalidations` };
}
