import type { KeySize } from './query-planner.js';

/** What the cache knows of one key: its size, and whether that is young enough to plan on alone. */
export interface CachedKeySize {
  size: KeySize;
  /** False once older than the lifetime: plan on it, but re-read it with the query. */
  fresh: boolean;
}

/**
 * Each key's size from `_vector_indexes`, kept in-process so that a query needs no catalogue
 * read of its own before it can choose a plan.
 *
 * Why a stale entry costs speed and never correctness: the size only chooses between two plans,
 * and both return the right records in the right order. The exact plan orders by (distance, id)
 * over every row in scope — exact whatever the size. The index plan orders by distance with
 * `enable_sort` off, which only penalises a sort: without a usable index (never built, or dropped
 * with its table by another process) Postgres still sorts, exactly. What a stale entry can do is
 * choose the slower plan: an exact scan of a key another process has grown and indexed, or an
 * index walk of a key another process has emptied.
 *
 * Invalidation: this process's writes, deletes and index builds replace the entry with the size
 * the statement returned (or forget it); a table found missing forgets its keys; and writes by
 * other processes are picked up because an entry older than `lifetimeMs` is re-read in the same
 * round trip as the query that finds it old — so no entry outlives its lifetime by more than one
 * query, and the re-read adds no round trip.
 */
export class KeySizeCache {
  private readonly entries = new Map<string, { size: KeySize; readAt: number }>();

  constructor(
    private readonly lifetimeMs: number,
    private readonly now: () => number = Date.now,
    /** Entries kept at most; the oldest go first, so a store of a million tenants stays bounded. */
    private readonly capacity = 100_000,
  ) {}

  lookup(table: string, key: string): CachedKeySize | undefined {
    const entry = this.entries.get(entryKey(table, key));
    if (entry === undefined) return undefined;
    return { size: entry.size, fresh: this.now() - entry.readAt < this.lifetimeMs };
  }

  /** `undefined`: the catalogue has no row for the key — nothing was ever written under it. */
  remember(table: string, key: string, size: KeySize | undefined): void {
    const name = entryKey(table, key);
    this.entries.delete(name);
    this.entries.set(name, { size: size ?? { records: 0, indexed: false }, readAt: this.now() });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  forget(table: string, key: string): void {
    this.entries.delete(entryKey(table, key));
  }

  forgetTable(table: string): void {
    const prefix = entryKey(table, '');
    for (const name of this.entries.keys()) if (name.startsWith(prefix)) this.entries.delete(name);
  }
}

/** Table names hold no NUL, so the pair is unambiguous. */
function entryKey(table: string, key: string): string {
  return `${table}\u0000${key}`;
}
