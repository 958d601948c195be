/** Deterministic test data: the same seed gives the same vectors on every machine. */

/** mulberry32: small, fast, and good enough to spread test vectors. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = state;
    mixed = Math.imul(mixed ^ (mixed >>> 15), mixed | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

/** A unit-free random vector with components in [-1, 1), never all zero. */
export function randomVector(random: () => number, dimension: number): number[] {
  const vector = Array.from({ length: dimension }, () => Math.round((random() * 2 - 1) * 1000) / 1000);
  if (!vector.some((value) => value !== 0)) vector[0] = 1;
  return vector;
}

let counter = 0;
/** A store name no other test uses, so tests sharing one database never meet. */
export function uniqueStoreName(): string {
  counter += 1;
  return `t${process.pid.toString(36)}_${Date.now().toString(36).slice(-5)}_${counter}`;
}
