/** What an invalidation covers, as the shared cache names it: a name (keyed digest), a key id, or everything. */
export type RevokedTarget = { name: string } | { keyId: string } | { all: true };

/** How long one invalidation is remembered by its target before it is folded into `floor`. */
export const REMEMBER_MS = 60_000;
/** At most this many targets remembered per kind (names, key ids); past it the oldest are folded into `floor`. */
export const MAX_REMEMBERED = 10_000;
/**
 * A note's Redis time is believed up to this far past Redis's clock as last read: a forged message from the far
 * future would otherwise, once folded into `floor`, keep every shared answer refused.
 */
const CLOCK_SLACK_MS = 5_000;

interface Noted {
  /** The invalidation's Redis time (ms). */
  at: number;
  /** When this instance learnt of it (its clock), for REMEMBER_MS. */
  seenAt: number;
}

/**
 * The invalidations this instance has seen, so a shared answer asked for before one of them is refused even when it
 * is back in Redis (replayed by someone who can write to Redis, or read under a rolled-back generation): the answer's
 * signed ask time (Redis time) is compared with each invalidation's Redis time, as the WRITE script does.
 *
 * Memory is bounded: a target is remembered for REMEMBER_MS, and at most MAX_REMEMBERED of each kind; a target
 * forgotten raises `floor` to its time, and every answer asked for at or before `floor` is refused. Forgetting
 * therefore refuses more, never less: an answer older than the newest forgotten invalidation is asked for again.
 */
export class Revocations {
  private readonly byName = new Map<string, Noted>();
  private readonly byKeyId = new Map<string, Noted>();
  /** Answers asked for at or before this Redis time are refused ("everything" invalidations, forgotten notes, gaps). */
  private floor = Number.NEGATIVE_INFINITY;
  /** Redis's clock minus this one's, as last read; undefined before any reading. */
  private offset: number | undefined;

  /** Redis's clock read at `localNow` (a script's answer). */
  observeRedisTime(redisNow: number, localNow = Date.now()): void {
    if (Number.isFinite(redisNow)) this.offset = redisNow - localNow;
  }

  /** Redis's clock now, as estimated from the last reading (this clock before any). */
  redisNow(localNow = Date.now()): number {
    return localNow + (this.offset ?? 0);
  }

  note(target: RevokedTarget, redisAt: number, localNow = Date.now()): void {
    const at = this.believable(redisAt, localNow);
    if ('all' in target) this.floor = Math.max(this.floor, at);
    else if ('name' in target) this.remember(this.byName, target.name, at, localNow);
    else this.remember(this.byKeyId, target.keyId, at, localNow);
  }

  /** Invalidations up to `redisAt` may have been missed: refuse every answer asked for until then. */
  refuseUntil(redisAt: number, localNow = Date.now()): void {
    this.floor = Math.max(this.floor, this.believable(redisAt, localNow));
  }

  /** Whether an answer under `name`, of `keyId`, asked for at `askedAt` (Redis time) may have been revoked since. */
  refuses(name: string, keyId: string | undefined, askedAt: number, localNow = Date.now()): boolean {
    this.prune(this.byName, localNow);
    this.prune(this.byKeyId, localNow);
    if (askedAt <= this.floor) return true;
    const byName = this.byName.get(name);
    if (byName && askedAt <= byName.at) return true;
    const byKeyId = keyId === undefined ? undefined : this.byKeyId.get(keyId);
    return byKeyId !== undefined && askedAt <= byKeyId.at;
  }

  /** How many targets are remembered (for tests of the bound). */
  get size(): number {
    return this.byName.size + this.byKeyId.size;
  }

  private believable(redisAt: number, localNow: number): number {
    return this.offset === undefined ? redisAt : Math.min(redisAt, localNow + this.offset + CLOCK_SLACK_MS);
  }

  private remember(notes: Map<string, Noted>, target: string, at: number, localNow: number): void {
    const previous = notes.get(target);
    // Deleted and set again so the map's order stays the order of `seenAt`: pruning looks at the front only.
    notes.delete(target);
    notes.set(target, { at: Math.max(at, previous?.at ?? at), seenAt: localNow });
    this.prune(notes, localNow);
  }

  private prune(notes: Map<string, Noted>, localNow: number): void {
    for (const [target, noted] of notes) {
      if (notes.size <= MAX_REMEMBERED && noted.seenAt + REMEMBER_MS > localNow) return;
      this.floor = Math.max(this.floor, noted.at);
      notes.delete(target);
    }
  }
}
