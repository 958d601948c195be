/** The result of an all-or-nothing `consume`. */
export interface ConsumeResult {
  allowed: boolean;
  /** The counter after the call (unchanged when refused). */
  total: number;
  /** Until the counter's window ends; undefined for counters without a window. */
  resetInMs: number | undefined;
}

/**
 * Counters for limits and quotas. Every method is atomic per key, so concurrent requests
 * (also from several processes, with Redis) can never pass a limit together.
 */
export interface LimitStore {
  /**
   * Adds `amount` unless the total would pass `limit`, in which case nothing changes. A counter
   * created by this call expires after `windowMs` (none: it never expires).
   */
  consume(params: { key: string; amount: number; limit: number; windowMs?: number }): Promise<ConsumeResult>;
  /** Adds `amount` (negative to give back), never going below zero; returns the total. */
  add(params: { key: string; amount: number; windowMs?: number }): Promise<number>;
  read(key: string): Promise<number>;
  /** Sets a counter without a window, such as the stored-vector count after a recount. */
  write(key: string, value: number): Promise<void>;
}

export interface MemoryLimitStoreSettings {
  /** The clock, in milliseconds; tests move it. @default Date.now */
  now?: () => number;
}

/**
 * Counters in this process's memory: for one-process services and tests. Atomic because every
 * method completes synchronously before its promise resolves.
 */
export function memoryLimitStore(settings: MemoryLimitStoreSettings = {}): LimitStore {
  const now = settings.now ?? Date.now;
  const counters = new Map<string, { value: number; expiresAt: number | undefined }>();
  const live = (key: string) => {
    const counter = counters.get(key);
    if (counter !== undefined && counter.expiresAt !== undefined && counter.expiresAt <= now()) {
      counters.delete(key);
      return undefined;
    }
    return counter;
  };
  const resetIn = (counter: { expiresAt: number | undefined } | undefined) =>
    counter?.expiresAt === undefined ? undefined : counter.expiresAt - now();
  const ensure = (key: string, windowMs: number | undefined) => {
    let counter = live(key);
    if (counter === undefined) {
      counter = { value: 0, expiresAt: windowMs === undefined ? undefined : now() + windowMs };
      counters.set(key, counter);
    }
    return counter;
  };
  return {
    async consume({ key, amount, limit, windowMs }) {
      const existing = live(key);
      const current = existing?.value ?? 0;
      if (current + amount > limit) return { allowed: false, total: current, resetInMs: resetIn(existing) };
      const counter = ensure(key, windowMs);
      counter.value += amount;
      return { allowed: true, total: counter.value, resetInMs: resetIn(counter) };
    },
    async add({ key, amount, windowMs }) {
      const counter = ensure(key, windowMs);
      counter.value = Math.max(0, counter.value + amount);
      return counter.value;
    },
    async read(key) {
      return live(key)?.value ?? 0;
    },
    async write(key, value) {
      counters.set(key, { value, expiresAt: undefined });
    },
  };
}
