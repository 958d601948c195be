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

  const vectors = new Float32Array(settings.records * dimension);
  tenants.forEach((tenant, index) => {
    const centres = mixtureOf(index);
    const random = seededRandom(derivedSeed(seed, 'records', index));
    for (let local = 0; local < tenant.size; local += 1) {
      const target = vectors.subarray((tenant.offset + local) * dimension, (tenant.offset + local + 1) * dimension);
      drawAround(centres[random.integer(centres.length)]!, recordSpread, random, target);
    }
    onTenant?.(index + 1, tenants.length);
  });

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
    vectors,
    queries,
  };
}

function tenantMixture(seed: number, index: number, size: number, topics: readonly Float32Array[], dimension: number): Float32Array[] {
  const random = seededRandom(derivedSeed(seed, 'centres', index));
  const clusters = Math.min(16, Math.max(1, Math.ceil(size / 500)));
  return Array.from({ length: clusters }, () => drawAround(topics[random.integer(topics.length)]!, clusterSpread, random, new Float32Array(dimension)));
}

function randomDirection(random: SeededRandom, dimension: number): Float32Array {
  const vector = new Float32Array(dimension);
  for (let index = 0; index < dimension; index += 1) vector[index] = random.gaussian();
  return normalize(vector);
}

/** centre + spread × (a random vector of length about 1), normalised, written into `target`. */
function drawAround(centre: Float32Array, spread: number, random: SeededRandom, target: Float32Array): Float32Array {
  const scale = spread / Math.sqrt(centre.length);
  for (let index = 0; index < centre.length; index += 1) target[index] = centre[index]! + scale * random.gaussian();
  return normalize(target);
}
