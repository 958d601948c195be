/**
 * The benches' data: a seeded Gaussian mixture (clustered, like real embeddings), tenant sizes
 * following Zipf. Regenerated identically for every load, so nothing large is held in memory.
 */

/** mulberry32 */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let mixed = Math.imul(state ^ (state >>> 15), state | 1);
    mixed ^= mixed + Math.imul(mixed ^ (mixed >>> 7), mixed | 61);
    return ((mixed ^ (mixed >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(random: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

export interface SyntheticData {
  sizes: number[];
  /** A point of the mixture: a centre plus noise, rounded to keep SQL text short. */
  point(random: () => number): number[];
  /** One tenant's records, the same on every call. */
  recordsOf(index: number): { id: string; vector: number[] }[];
}

export function syntheticData(settings: { vectors: number; dimension: number; tenants: number; zipf: number; clusters: number; seed: number }): SyntheticData {
  const centreRandom = seeded(settings.seed);
  const centres = Array.from({ length: settings.clusters }, () => Array.from({ length: settings.dimension }, () => gaussian(centreRandom)));
  const point = (random: () => number) => {
    const centre = centres[Math.floor(random() * centres.length)]!;
    return centre.map((value) => Math.round((value + 0.45 * gaussian(random)) * 1e4) / 1e4);
  };
  // Zipf sizes summing to `vectors`, every tenant at least one record, largest first.
  const weights = Array.from({ length: settings.tenants }, (_, index) => 1 / (index + 1) ** settings.zipf);
  const total = weights.reduce((sum, weight) => sum + weight, 0);
  const sizes = weights.map((weight) => Math.max(1, Math.floor((weight / total) * settings.vectors)));
  sizes[0]! += settings.vectors - sizes.reduce((sum, size) => sum + size, 0);
  const recordsOf = (index: number) => {
    const random = seeded(settings.seed * 1_000_003 + index);
    return Array.from({ length: sizes[index]! }, (_, n) => ({ id: `r${n}`, vector: point(random) }));
  };
  return { sizes, point, recordsOf };
}
