import type { Db } from './database.js';

/**
 * Answers read from the watched tables (tracked-database.ts), remembered until the next write to any of them. Bounded:
 * past `max` entries the oldest is dropped, so a flood of unknown keys cannot grow it.
 */
export class Memo<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly max: number) {}

  /** The remembered answer for `key`, else `load()`'s (remembered, `undefined` included). */
  get(key: string, load: () => V): V {
    const entries = this.entries;
    if (this.max === 0) return load();
    if (entries.has(key)) return entries.get(key) as V;
    const value = load();
    if (entries.size >= this.max) entries.delete(entries.keys().next().value as string);
    entries.set(key, value);
    return value;
  }

  clear(): void {
    this.entries.clear();
  }
}

/** Every memo of one database, dropped together when a watched table changes. */
export class Memos {
  private readonly all: Memo<unknown>[] = [];

  create<V>(max: number): Memo<V> {
    const memo = new Memo<V>(max);
    this.all.push(memo as Memo<unknown>);
    return memo;
  }

  clear(): void {
    for (const memo of this.all) memo.clear();
  }
}

const registry = new WeakMap<Db, Memos>();

/** Registers the memos of a database (the store does, for the database it tracks). */
export function rememberFor(db: Db, memos: Memos): void {
  registry.set(db, memos);
}

/**
 * A memo over `db`, cleared on every change to a watched table. Over a database the store does not track (a
 * repository made on its own), nothing is remembered: each `get` loads.
 */
export function memoFor<V>(db: Db, max: number): Memo<V> {
  return registry.get(db)?.create<V>(max) ?? new Memo<V>(0);
}
