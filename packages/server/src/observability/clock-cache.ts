/** An entry of a ClockCache: `used` is set on every hit and cleared as the clock hand passes. */
export interface ClockEntry {
  id: string;
  used: boolean;
}

/**
 * A bounded map from id to entry that evicts (roughly) the least recently used, by the CLOCK algorithm (Corbató,
 * 1968; see Tanenbaum, "Modern Operating Systems", §3.4.5): a hit only sets a flag, where an LRU kept in a Map's
 * order costs a delete and a set, and finding a Map's first entry after many deletes walks past their holes.
 * An evicted entry is reset and reused for the id that evicted it, so a flood of new ids allocates nothing.
 */
export class ClockCache<E extends ClockEntry> {
  private readonly index = new Map<string, E>();
  private readonly slots: E[] = [];
  private hand = 0;

  constructor(
    readonly bound: number,
    private readonly make: (id: string) => E,
    private readonly reset: (entry: E, id: string) => void,
  ) {}

  get(id: string): E | undefined {
    return this.index.get(id);
  }

  get size(): number {
    return this.index.size;
  }

  values(): IterableIterator<E> {
    return this.index.values();
  }

  /** The entry of `id`: the one there (marked used), a new one while below the bound, or an evicted one reused. */
  touch(id: string): E {
    let entry = this.index.get(id);
    if (entry !== undefined) {
      entry.used = true;
      return entry;
    }
    if (this.slots.length < this.bound) {
      entry = this.make(id);
      this.slots.push(entry);
    } else {
      entry = this.victim();
      this.index.delete(entry.id);
      this.reset(entry, id);
      entry.id = id;
    }
    // Unused until hit again: a flood of ids seen once evicts its own kind before any key verified twice.
    entry.used = false;
    this.index.set(id, entry);
    return entry;
  }

  // Each pass clears the flags it crosses, so the hand stops within one turn of the slots.
  private victim(): E {
    for (;;) {
      const entry = this.slots[this.hand]!;
      this.hand = this.hand + 1 === this.slots.length ? 0 : this.hand + 1;
      if (!entry.used) return entry;
      entry.used = false;
    }
  }
}
