import { derivedSeed, seededRandom, type SeededRandom } from './seeded-random.js';
import { sizeBuckets } from './size-buckets.js';
import { defaultCachedFloats, drawAround, randomDirection, recentlyUsed, tenantMixture, type SyntheticWorkloadSettings } from './synthetic-workload.js';
import { describeDistribution, tenantSizes } from './tenant-sizes.js';
import { plant, rareKeywords, vocabulary } from './text-vocabulary.js';
import { makeTenants, recordId, tenantIdFor, type Workload, type WorkloadQuery, type WorkloadTenant } from './workload.js';

/**
 * The labelled text workload of `tenantvec bench --mode hybrid`: documents of ordinary words and
 * a vector each, and queries whose relevant documents are known because they were planted.
 *
 * Each query has a rare keyword of its own (no ordinary text holds it) and a query vector drawn
 * from the asking tenant's mixture. In the tenant, at random positions, the bench plants:
 * - **k relevant documents** (k = topK): ordinary text holding the keyword once, and a vector
 *   only loosely near the query's (cosine about 0.6 to 0.8), so in a large tenant some of the
 *   tenant's ordinary documents come closer than they do;
 * - **vector distractors** (30–70 % of k): vectors right next to the query's (about 0.94), texts
 *   without the keyword. They take the top of the vector branch;
 * - **keyword distractors** (30–70 % of k): long noisy texts that repeat the keyword, with
 *   vectors like any other document of the tenant. BM25 ranks them above most relevant ones.
 *
 * So the vector branch alone misses the relevant documents the vector distractors push out, the
 * keyword branch alone those the keyword distractors push out, and only a fusion of both ranks
 * the documents that do well in both — the relevant ones — first. The ground truth is the
 * planting itself, never the output of either branch, so it cannot favour one of them. The
 * figures measure whether each backend × strategy delivers both branches and the fusion within
 * the tenant's walls, and what each costs; the size of the gain follows from this design and is
 * not a forecast for real data.
 */
export interface LabelledQuery extends WorkloadQuery {
  /** Two ordinary words and the query's keyword. */
  text: string;
  keyword: string;
  /** The planted relevant documents: the ground truth, k of them. */
  relevant: string[];
  vectorDistractors: string[];
  keywordDistractors: string[];
}

export interface LabelledTextWorkload extends Workload {
  source: 'labelled-text';
  tenantTexts(tenantIndex: number): readonly string[];
  queries: LabelledQuery[];
}

export type LabelledTextWorkloadSettings = SyntheticWorkloadSettings & { topK: number };

// Spreads (noise length relative to a unit centre) and their resulting cosine with the query,
// about 1 / sqrt(1 + spread²): ordinary documents 0.7 to their cluster's centre and about 0.5 to
// a query of the same cluster; relevant ones 0.6 to 0.8; vector distractors 0.94.
const documentSpread = 1;
const relevantSpread = { low: 0.7, high: 1.3 };
const vectorDistractorSpread = 0.35;
const ordinaryWords = { low: 20, high: 80 };
const noisyWords = { low: 120, high: 200 };
const keywordRepeats = 5;

const roles = ['relevant', 'vectorDistractors', 'keywordDistractors'] as const;
type Role = (typeof roles)[number];

interface PlantedGroup {
  query: number;
  vector: Float32Array;
  keyword: string;
  counts: Record<Role, number>;
  /** Filled once all the tenant's groups are known. */
  positions: Record<Role, number[]>;
}

/** A whole number in [low, high]. */
function between(random: SeededRandom, low: number, high: number): number {
  return low + random.integer(high - low + 1);
}

/** `count` distinct positions in [0, size), in random order: a partial Fisher–Yates shuffle held sparsely. */
function samplePositions(size: number, count: number, random: SeededRandom): number[] {
  const moved = new Map<number, number>();
  const chosen: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const other = index + random.integer(size - index);
    chosen.push(moved.get(other) ?? other);
    moved.set(other, moved.get(index) ?? index);
  }
  return chosen;
}

// At most this share of a tenant's documents is planted: a keyword held by most of a tiny
// tenant's documents would not be rare there, and BM25 would rightly give it little weight.
const plantedShare = 0.25;

/**
 * Which tenant asks each query: shared equally by the size buckets, as in the vector workload,
 * but only tenants with room for another planted group are drawn. A bucket whose tenants have
 * too little room gets fewer queries.
 */
function allocateWithRoom(tenants: readonly WorkloadTenant[], total: number, groupSize: number, random: SeededRandom): number[] {
  const roomOf = (size: number) => Math.floor((size * plantedShare) / groupSize);
  const members = sizeBuckets
    .map((bucket) => tenants.flatMap((tenant, index) => (tenant.bucket === bucket.name && roomOf(tenant.size) > 0 ? [index] : [])))
    .filter((indexes) => indexes.length > 0);
  const asking: number[] = [];
  members.forEach((indexes, position) => {
    const room = new Map(indexes.map((index) => [index, roomOf(tenants[index]!.size)]));
    const open = [...indexes];
    const share = Math.floor(total / members.length) + (position < total % members.length ? 1 : 0);
    for (let query = 0; query < share && open.length > 0; query += 1) {
      const at = random.integer(open.length);
      const tenant = open[at]!;
      asking.push(tenant);
      room.set(tenant, room.get(tenant)! - 1);
      if (room.get(tenant) === 0) open.splice(at, 1);
    }
  });
  return asking;
}

export function labelledTextWorkload(settings: LabelledTextWorkloadSettings, onTenant?: (done: number, total: number) => void): LabelledTextWorkload {
  const { dimension, seed, topK } = settings;
  const sizes = tenantSizes({ tenants: settings.tenants, records: settings.records, distribution: settings.distribution });
  const tenants = makeTenants(sizes.map((_, index) => tenantIdFor(index, sizes.length)), sizes);
  const topicRandom = seededRandom(derivedSeed(seed, 'topics'));
  const topics = Array.from({ length: settings.topics ?? 64 }, () => randomDirection(topicRandom, dimension));
  const mixtureOf = (index: number) => tenantMixture(seed, index, sizes[index]!, topics, dimension);
  const words = vocabulary(seededRandom(derivedSeed(seed, 'vocabulary')));
  const distractors = { low: Math.round(0.3 * topK), high: Math.round(0.7 * topK) };

  const planRandom = seededRandom(derivedSeed(seed, 'labelled-queries'));
  const asking = allocateWithRoom(tenants, settings.queries, topK + 2 * distractors.high, planRandom);
  const perTenant = new Map<number, number>();
  for (const tenant of asking) perTenant.set(tenant, (perTenant.get(tenant) ?? 0) + 1);
  // The j-th query of every tenant shares one keyword: a keyword search that crossed the walls
  // would find another tenant's documents holding it, and the bench counts such a leak.
  const keywords = rareKeywords(seededRandom(derivedSeed(seed, 'keywords')), Math.max(0, ...perTenant.values()), words);

  const groups = new Map<number, PlantedGroup[]>();
  const queries: LabelledQuery[] = [];
  const asked = new Map<number, number>();
  for (const [query, tenant] of asking.entries()) {
    const ordinal = asked.get(tenant) ?? 0;
    asked.set(tenant, ordinal + 1);
    const centres = mixtureOf(tenant);
    const vector = drawAround(centres[planRandom.integer(centres.length)]!, documentSpread, planRandom, new Float32Array(dimension));
    const keyword = keywords[ordinal]!;
    const counts = { relevant: topK, vectorDistractors: between(planRandom, distractors.low, distractors.high), keywordDistractors: between(planRandom, distractors.low, distractors.high) };
    const group: PlantedGroup = { query, vector, keyword, counts, positions: { relevant: [], vectorDistractors: [], keywordDistractors: [] } };
    groups.set(tenant, [...(groups.get(tenant) ?? []), group]);
    queries.push({
      tenant,
      vector,
      keyword,
      text: [words.draw(planRandom), keyword, words.draw(planRandom)].join(' '),
      relevant: [],
      vectorDistractors: [],
      keywordDistractors: [],
    });
  }
  // Positions are drawn per tenant once all its groups are known, so planted documents sit
  // among ordinary ones and no id order favours them (fusion breaks ties by id).
  for (const [tenant, planted] of groups) {
    const random = seededRandom(derivedSeed(seed, 'planting', tenant));
    const needed = planted.reduce((sum, { counts }) => sum + counts.relevant + counts.vectorDistractors + counts.keywordDistractors, 0);
    const positions = samplePositions(tenants[tenant]!.size, needed, random);
    planted.forEach((group) => {
      for (const role of roles) {
        group.positions[role] = positions.splice(0, group.counts[role]);
        queries[group.query]![role] = group.positions[role].map((local) => recordId(tenant, local));
      }
    });
  }

  const generate = (index: number) => documentsOf({ index, size: tenants[index]!.size, dimension, seed, centres: mixtureOf(index), planted: groups.get(index) ?? [], words });
  const documents = recentlyUsed(generate, settings.cachedFloats ?? defaultCachedFloats, (entry) => entry.vectors.length + entry.texts.length * 100);
  onTenant?.(tenants.length, tenants.length);
  return {
    source: 'labelled-text',
    description: `${settings.records.toLocaleString('en')} labelled text documents with ${dimension}-d vectors (planted keywords, seed ${seed}), ${settings.tenants.toLocaleString('en')} tenants, ${describeDistribution(settings.distribution)}`,
    dimension,
    tenants,
    records: settings.records,
    tenantVectors: (index) => documents(index).vectors,
    tenantTexts: (index) => documents(index).texts,
    queries,
  };
}

/** One tenant's documents, ordinary and planted, from a seed of the tenant's own. */
function documentsOf(params: {
  index: number;
  size: number;
  dimension: number;
  seed: number;
  centres: readonly Float32Array[];
  planted: readonly PlantedGroup[];
  words: ReturnType<typeof vocabulary>;
}): { vectors: Float32Array; texts: string[] } {
  const { size, dimension, centres, words } = params;
  const roleAt = new Map<number, { group: PlantedGroup; role: Role }>();
  for (const group of params.planted) {
    for (const role of roles) {
      for (const local of group.positions[role]) roleAt.set(local, { group, role });
    }
  }
  const random = seededRandom(derivedSeed(params.seed, 'labelled-documents', params.index));
  const vectors = new Float32Array(size * dimension);
  const texts: string[] = [];
  const ordinaryText = () => words.filler(random, between(random, ordinaryWords.low, ordinaryWords.high));
  for (let local = 0; local < size; local += 1) {
    const target = vectors.subarray(local * dimension, (local + 1) * dimension);
    const planted = roleAt.get(local);
    if (planted === undefined || planted.role === 'keywordDistractors') {
      drawAround(centres[random.integer(centres.length)]!, documentSpread, random, target);
    } else if (planted.role === 'relevant') {
      drawAround(planted.group.vector, relevantSpread.low + random.next() * (relevantSpread.high - relevantSpread.low), random, target);
    } else {
      drawAround(planted.group.vector, vectorDistractorSpread, random, target);
    }
    if (planted?.role === 'relevant') texts.push(plant(ordinaryText(), planted.group.keyword, 1, random).join(' '));
    else if (planted?.role === 'keywordDistractors') {
      texts.push(plant(words.filler(random, between(random, noisyWords.low, noisyWords.high)), planted.group.keyword, keywordRepeats, random).join(' '));
    } else texts.push(ordinaryText().join(' '));
  }
  return { vectors, texts };
}
