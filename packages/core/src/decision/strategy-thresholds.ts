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
  collectionBelow: { value: 100, source: 'tenantvec default: below 100 tenants a collection each is affordable on every backend' },
  namespaceUpTo: { value: 1_000, source: 'tenantvec default: from 100 to 1,000 tenants a partition each, beyond that a shared collection' },
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
          'collection-per-tenant': { value: 500, source: 'each collection carries its own overhead; a few hundred is the practical limit: https://qdrant.tech/documentation/manage-data/multitenancy/, https://github.com/qdrant/qdrant/issues/4241' },
          'namespace-per-tenant': { value: 1_000, source: 'dedicated shards (user-defined shard keys) suit a smaller number of larger tenants: https://qdrant.tech/documentation/manage-data/multitenancy/' },
          ...shared,
        },
        collectionPreferredBelow: baselineBands.collectionBelow,
        namespacePreferredUpTo: baselineBands.namespaceUpTo,
        dedicatedAbove: { value: 20_000, source: 'tiered multitenancy: large tenants are promoted to their own shard: https://qdrant.tech/documentation/deploy-and-scale/multitenant-search/' },
      };
    case 'pinecone':
      return {
        ceilings: {
          'collection-per-tenant': { value: pineconeIndexCaps[plan], source: `serverless indexes per project on the ${plan} plan: https://docs.pinecone.io/reference/api/database-limits/object-limits` },
          'namespace-per-tenant': { value: pineconeNamespaceCaps[plan], source: `namespaces per serverless index on the ${plan} plan: https://docs.pinecone.io/reference/api/database-limits/object-limits` },
          ...shared,
        },
        collectionPreferredBelow: { value: Math.min(baselineBands.collectionBelow.value, pineconeIndexCaps[plan]), source: `${pineconeIndexCaps[plan]} serverless indexes per project on the ${plan} plan: https://docs.pinecone.io/reference/api/database-limits/object-limits` },
        namespacePreferredUpTo: { value: pineconeNamespaceCaps[plan], source: 'a query reads (and is billed for) only the namespace it names, so namespaces win up to the plan cap: https://docs.pinecone.io/guides/index-data/implement-multitenancy' },
        dedicatedAbove: { value: 1_000_000, source: 'tenantvec default: a tenant this large pays for its own index' },
      };
    case 'weaviate':
      return {
        ceilings: {
          'collection-per-tenant': { value: 1_000, source: 'a collection count limit since v1.30 (MAXIMUM_ALLOWED_COLLECTIONS_COUNT): https://docs.weaviate.io/weaviate/starter-guides/managing-collections/collections-scaling-limits' },
          'namespace-per-tenant': { value: 50_000, source: 'native multi-tenancy, one shard per tenant, tens of thousands of active tenants per node: https://docs.weaviate.io/weaviate/manage-collections/multi-tenancy' },
          ...shared,
        },
        collectionPreferredBelow: { value: 20, source: 'the docs steer to multi-tenancy rather than a collection per subset of data: https://docs.weaviate.io/weaviate/starter-guides/managing-collections/collections-scaling-limits' },
        namespacePreferredUpTo: { value: 50_000, source: 'native tenants scale to tens of thousands active per node: https://docs.weaviate.io/weaviate/manage-collections/multi-tenancy' },
        dedicatedAbove: { value: 1_000_000, source: 'tenantvec default: a tenant this large gets its own collection' },
      };
    case 'pgvector': {
      const pgvectorShared: Threshold = {
        value: Number.POSITIVE_INFINITY,
        source: 'a shared table, hash-partitioned on the tenant key (64 partitions), holds any number of tenants: measured at 200,000 rows, a tenant query plans in 0.18 ms with 1,000 tenants indexed and 0.29 ms with 3,000 (one unpartitioned table: 21 and 47 ms) — packages/pgvector/scripts/planning-cliff.sql',
      };
      return {
        ceilings: {
          'collection-per-tenant': { value: 1_000, source: 'tenantvec default: a table per tenant costs catalog entries, autovacuum work and one HNSW index each' },
          'namespace-per-tenant': { value: 3_000, source: 'query planning slows as partitions grow; a few thousand is the practical limit: https://www.postgresql.org/docs/current/ddl-partitioning.html#DDL-PARTITIONING-GUIDANCE' },
          'metadata-filter': pgvectorShared,
          'source-prefix': pgvectorShared,
        },
        collectionPreferredBelow: baselineBands.collectionBelow,
        namespacePreferredUpTo: baselineBands.namespaceUpTo,
        dedicatedAbove: { value: 100_000, source: 'tenantvec default: a shared-table tenant past partialIndexAbove already searches an HNSW graph of its own on its partition; past this its index builds and rebuilds (as it doubles) are long enough to want a table of its own' },
      };
    }
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
