import { baselineBands, sharedCeilings, type BackendDecision } from '@tenantvec/core/backend';

/** Pinecone's published plans and their caps, which decide namespaces against indexes. */
export type PineconePlan = 'starter' | 'builder' | 'standard' | 'enterprise';
export const pineconePlans: readonly PineconePlan[] = ['starter', 'builder', 'standard', 'enterprise'];

const limitsPage = 'https://docs.pinecone.io/reference/api/database-limits/object-limits';
export const pineconeNamespaceCaps: Record<PineconePlan, number> = { starter: 100, builder: 1_000, standard: 100_000, enterprise: 100_000 };
export const pineconeIndexCaps: Record<PineconePlan, number> = { starter: 5, builder: 10, standard: 20, enterprise: 200 };

export const pineconeDecision: BackendDecision = {
  plans: { names: pineconePlans, default: 'standard' },
  profile: ({ plan: given }) => {
    const plan: PineconePlan = pineconePlans.includes(given as PineconePlan) ? (given as PineconePlan) : 'standard';
    return {
      ceilings: {
        'collection-per-tenant': { value: pineconeIndexCaps[plan], source: `serverless indexes per project on the ${plan} plan: ${limitsPage}` },
        'namespace-per-tenant': { value: pineconeNamespaceCaps[plan], source: `namespaces per serverless index on the ${plan} plan: ${limitsPage}` },
        ...sharedCeilings,
      },
      collectionPreferredBelow: { value: Math.min(baselineBands.collectionBelow.value, pineconeIndexCaps[plan]), source: `${pineconeIndexCaps[plan]} serverless indexes per project on the ${plan} plan: ${limitsPage}` },
      namespacePreferredUpTo: { value: pineconeNamespaceCaps[plan], source: 'a query reads (and is billed for) only the namespace it names, so namespaces win up to the plan cap: https://docs.pinecone.io/guides/index-data/implement-multitenancy' },
      dedicatedAbove: { value: 1_000_000, source: 'tenantvec default: a tenant this large pays for its own index' },
      sharedCollectionWarning: 'On Pinecone a query is billed by the namespace it reads: a shared namespace makes every tenant pay for all tenants’ data.',
      keyword: {
        statistics: 'scope',
        source: 'BM25 term weights without IDF in each record\'s sparse values, scored by a plain dot product, so no score reads another record (sparse-keywords.ts); dotproduct indexes only: https://docs.pinecone.io/reference/api/known-limitations',
      },
    };
  },
};
