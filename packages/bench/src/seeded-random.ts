/**
 * A seeded source of randomness (mulberry32). The bench must draw the same workload from the
 * same seed on every machine, so results of two runs compare record for record.
 */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Standard normal (mean 0, variance 1), by the Box–Muller transform. */
  gaussian(): number;
  /** A whole number in [0, below). */
  integer(below: number): number;
}

export function seededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    // 1 - next() is in (0, 1], so the logarithm is always finite.
    gaussian: () => Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    integer: (below) => Math.floor(next() * below),
  };
}

/**
 * An independent stream for one purpose (`'queries'`, a tenant's index), so adding queries does
 * not change the records and one tenant's records do not depend on how many others precede it.
 */
export function derivedSeed(seed: number, ...parts: (string | number)[]): number {
  let hash = (seed ^ 0x9e3779b9) >>> 0;
  for (const character of parts.join('/')) {
    hash = Math.imul(hash ^ character.charCodeAt(0), 0x01000193) >>> 0;
  }
  return hash;
}
