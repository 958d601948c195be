import { derivedSeed, seededRandom, type SeededRandom } from './seeded-random.js';
import { tenantSizes, describeDistribution, type SizeDistribution } from './tenant-sizes.js';
import { allocateQueries, makeTenants, normalize, tenantIdFor, type Workload } from './workload.js';

export interface SyntheticWorkloadSettings {
  tenants: number;
  records: number;
  dimension: number;
  distribution: SizeDistribution;
  queries: number;
  seed: number;
  /**
   * Topics all tenants draw their clusters from. Shared topics put different tenants' records
   * next to each other in space, as real tenants of one product write about the same things —
   * so a query that escaped its walls would find foreign neighbours, and a leak would show.
   * @default 64
   */
  topics?: number;
  /** Floats of drawn tenants kept for reuse before the least recently used are dropped. @default 64M (256 MB) */
  cachedFloats?: number;
}

export const defaultCachedFloats = 64 * 2 ** 20;

/**
 * A cache of `draw(index)` bounded by the floats it holds (`floatsOf` of each entry); the entry
 * just drawn is always kept.
 */
export function recentlyUsed<T>(draw: (index: number) => T, budget: number, floatsOf: (entry: T) => number): (index: number) => T {
  const kept = new Map<number, T>();
  let held = 0;
  return (index) => {
    const found = kept.get(index);
    if (found !== undefined) {
      kept.delete(index);
      kept.set(index, found);
      return found;
    }
    const drawn = draw(index);
    for (const [oldest, entry] of kept) {
      if (held + floatsOf(drawn) <= budget) break;
      kept.delete(oldest);
      held -= floatsOf(entry);
    }
    kept.set(index, drawn);
    held += floatsOf(drawn);
    return drawn;
  };
}

// Spread of a tenant's cluster around its topic, and of records around their cluster, relative
// to unit-length centres: tight enough to be clustered like embeddings, loose enough that
// approximate search has real work to do.
const clusterSpread = 0.6;
const recordSpread = 0.5;

/**
 * Clustered synthetic embeddings: each tenant is a seeded Gaussian mixture (a few clusters, more
 * for larger tenants) around topics shared by all tenants. Queries are fresh draws from the
 * asking tenant's own mixture, as real queries resemble the tenant's documents without being one.
 */
export function syntheticWorkload(settings: SyntheticWorkloadSettings, onTenant?: (done: number, total: number) => void): Workload {
  const { dimension, seed } = settings;
  const sizes = tenantSizes({ tenants: settings.tenants, records: settings.records, distribution: settings.distribution });
  const tenants = makeTenants(sizes.map((_, index) => tenantIdFor(index, sizes.length)), sizes);
  const topicRandom = seededRandom(derivedSeed(seed, 'topics'));
  const topics = Array.from({ length: settings.topics ?? 64 }, () => randomDirection(topicRandom, dimension));
  const mixtureOf = (index: number) => tenantMixture(seed, index, sizes[index]!, topics, dimension);

  // Each tenant's records come from a seed of their own, so they can be drawn again whenever
  // needed instead of kept: only the most recently used tenants stay in memory.
  const generate = (index: number) => {
    const vectors = new Float32Array(tenants[index]!.size * dimension);
    const centres = mixtureOf(index);
    const random = seededRandom(derivedSeed(seed, 'records', index));
    for (let local = 0; local < tenants[index]!.size; local += 1) {
      drawAround(centres[random.integer(centres.length)]!, recordSpread, random, vectors.subarray(local * dimension, (local + 1) * dimension));
    }
    return vectors;
  };
  const tenantVectors = recentlyUsed(generate, settings.cachedFloats ?? defaultCachedFloats, (vectors) => vectors.length);
  onTenant?.(tenants.length, tenants.length);

  const queryRandom = seededRandom(derivedSeed(seed, 'queries'));
  const queries = allocateQueries(tenants, settings.queries, queryRandom).map((tenant) => {
    const centres = mixtureOf(tenant);
    return { tenant, vector: drawAround(centres[queryRandom.integer(centres.length)]!, recordSpread, queryRandom, new Float32Array(dimension)) };
  });
  return {
    source: 'synthetic',
    description: `${settings.records.toLocaleString('en')} synthetic ${dimension}-d vectors (seeded Gaussian mixture, seed ${seed}), ${settings.tenants.toLocaleString('en')} tenants, ${describeDistribution(settings.distribution)}`,
    dimension,
    tenants,
    records: settings.records,
    tenantVectors,
    queries,
  };
}

export function tenantMixture(seed: number, index: number, size: number, topics: readonly Float32Array[], dimension: number): Float32Array[] {
  const random = seededRandom(derivedSeed(seed, 'centres', index));
  const clusters = Math.min(16, Math.max(1, Math.ceil(size / 500)));
  return Array.from({ length: clusters }, () => drawAround(topics[random.integer(topics.length)]!, clusterSpread, random, new Float32Array(dimension)));
}

export function randomDirection(random: SeededRandom, dimension: number): Float32Array {
  const vector = new Float32Array(dimension);
  for (let index = 0; index < dimension; index += 1) vector[index] = random.gaussian();
  return normalize(vector);
}

/** centre + spread × (a random vector of length about 1), normalised, written into `target`. */
export function drawAround(centre: Float32Array, spread: number, random: SeededRandom, target: Float32Array): Float32Array {
  const scale = spread / Math.sqrt(centre.length);
  for (let index = 0; index < centre.length; index += 1) target[index] = centre[index]! + scale * random.gaussian();
  return normalize(target);
}
