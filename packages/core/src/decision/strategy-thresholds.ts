import type { StrategyType } from '../isolation-strategy.js';

/**
 * Every number the decision helper uses, with where it comes from. Vendors move these between
 * doc versions: change them here, never in the branches of `recommendStrategy`.
 */

export type BackendKind = 'pgvector' | 'qdrant' | 'pinecone' | 'weaviate' | 'memory';
export type PineconePlan = 'starter' | 'builder' | 'standard' | 'enterprise';

export const backendKinds: readonly BackendKind[] = ['pgvector', 'qdrant', 'pinecone', 'weaviate', 'memory'];
export const pineconePlans: readonly PineconePlan[] = ['starter', 'builder', 'standard', 'enterprise'];

export interface Threshold {
  value: number;
  source: string;
}

/** The baseline before any backend's own limits: fewer than 100 → collection, up to 1,000 → namespace. */
export const baselineBands = {
  collectionBelow: { value: 100, source: 'tenantvec baseline (issue #7): < 100 tenants → collection per tenant' },
  namespaceUpTo: { value: 1_000, source: 'tenantvec baseline (issue #7): 100–1,000 tenants → namespace per tenant' },
} as const satisfies Record<string, Threshold>;

const pineconeNamespaceCaps: Record<PineconePlan, number> = { starter: 100, builder: 1_000, standard: 100_000, enterprise: 100_000 };
const pineconeIndexCaps: Record<PineconePlan, number> = { starter: 5, builder: 10, standard: 20, enterprise: 200 };

/**
 * How many tenants each strategy holds on each backend before it stops scaling, and up to how
 * many tenants the backend's vendor recommends its partition primitive over a shared filter.
 */
export function backendLimits(backend: BackendKind, plan: PineconePlan = 'standard'): {
  ceilings: Record<StrategyType, Threshold>;
  namespacePreferredUpTo: Threshold;
  collectionPreferredBelow: Threshold;
  /** Records above which one tenant should leave shared storage for its own. */
  dedicatedAbove: Threshold;
} {
  const unbounded: Threshold = { value: Number.POSITIVE_INFINITY, source: 'a shared collection holds any number of tenants' };
  const shared = { 'metadata-filter': unbounded, 'source-prefix': unbounded };
  switch (backend) {
    case 'qdrant':
      return {
        ceilings: {
          'collection-per-tenant': { value: 500, source: 'BACKENDS.md: collections stop scaling at a few hundred (qdrant#4241, OOM at ~2k #4689); Qdrant Cloud caps 1,000' },
          'namespace-per-tenant': { value: 1_000, source: 'BACKENDS.md: keep dedicated shards (shard keys) ≤ ~1,000' },
          ...shared,
        },
        collectionPreferredBelow: baselineBands.collectionBelow,
        namespacePreferredUpTo: baselineBands.namespaceUpTo,
        dedicatedAbove: { value: 20_000, source: 'BACKENDS.md: Qdrant tiered multitenancy promotes a tenant at about 20k points' },
      };
    case 'pinecone':
      return {
        ceilings: {
          'collection-per-tenant': { value: pineconeIndexCaps[plan], source: `BACKENDS.md: serverless indexes per project on the ${plan} plan` },
          'namespace-per-tenant': { value: pineconeNamespaceCaps[plan], source: `BACKENDS.md: namespaces per serverless index on the ${plan} plan` },
          ...shared,
        },
        collectionPreferredBelow: { value: Math.min(baselineBands.collectionBelow.value, pineconeIndexCaps[plan]), source: `BACKENDS.md: ${pineconeIndexCaps[plan]} indexes per project on the ${plan} plan` },
        namespacePreferredUpTo: { value: pineconeNamespaceCaps[plan], source: 'BACKENDS.md: a query is billed by the namespace it reads, so namespaces win up to the plan cap' },
        dedicatedAbove: { value: 1_000_000, source: 'tenantvec default: a tenant this large pays for its own index' },
      };
    case 'weaviate':
      return {
        ceilings: {
          'collection-per-tenant': { value: 1_000, source: 'BACKENDS.md: a max-collections setting since v1.30; the docs steer to multi-tenancy past ~20 collections' },
          'namespace-per-tenant': { value: 50_000, source: 'BACKENDS.md: 50,000+ active tenants (shards) per node' },
          ...shared,
        },
        collectionPreferredBelow: { value: 20, source: 'BACKENDS.md: Weaviate docs steer to multi-tenancy past ~20 collections' },
        namespacePreferredUpTo: { value: 50_000, source: 'BACKENDS.md: native tenants scale to ~50k active per node' },
        dedicatedAbove: { value: 1_000_000, source: 'tenantvec default: a tenant this large gets its own collection' },
      };
    case 'pgvector':
      return {
        ceilings: {
          'collection-per-tenant': { value: 1_000, source: 'tenantvec default: a table per tenant costs catalog entries, autovacuum work and one HNSW index each' },
          'namespace-per-tenant': { value: 3_000, source: 'BACKENDS.md / issue #7: Postgres partitions scale to a few thousand' },
          ...shared,
        },
        collectionPreferredBelow: baselineBands.collectionBelow,
        namespacePreferredUpTo: baselineBands.namespaceUpTo,
        dedicatedAbove: { value: 100_000, source: 'tenantvec default: past this a tenant needs its own HNSW index; a partition or table keeps it out of others’ plans' },
      };
    case 'memory':
      return {
        ceilings: {
          'collection-per-tenant': { value: Number.POSITIVE_INFINITY, source: 'in-process maps have no collection limit' },
          'namespace-per-tenant': { value: Number.POSITIVE_INFINITY, source: 'in-process maps have no partition limit' },
          ...shared,
        },
        collectionPreferredBelow: baselineBands.collectionBelow,
        namespacePreferredUpTo: baselineBands.namespaceUpTo,
        dedicatedAbove: { value: Number.POSITIVE_INFINITY, source: 'in-process: nothing to gain from dedicated storage' },
      };
  }
}
