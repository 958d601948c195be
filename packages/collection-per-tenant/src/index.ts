import {
  baseNameFor,
  ISOLATION_STRATEGY_CONTRACT_VERSION,
  pageOfTenants,
  physicalName,
  unchangedId,
  unchangedSource,
  type IsolationStrategy,
  type StrategyContext,
} from '@tenantvec/core';

function tenantCollectionPrefix(context: StrategyContext): string {
  const rules = context.backend.capabilities.collectionNames;
  return `${baseNameFor(context, rules)}${rules.separator}t`;
}

function collectionOf(context: StrategyContext, tenantId: string): string {
  return physicalName({ prefix: tenantCollectionPrefix(context), tenantId, rules: context.backend.capabilities.collectionNames });
}

/**
 * One collection per tenant: a table, a Pinecone index, a Qdrant or Weaviate collection. The
 * strongest walls and per-tenant tuning, at the price of one collection's overhead per tenant —
 * most backends stop scaling at a few hundred to a few thousand collections.
 */
export function collectionPerTenant(): IsolationStrategy {
  return Object.freeze({
    contractVersion: ISOLATION_STRATEGY_CONTRACT_VERSION,
    type: 'collection-per-tenant' as const,
    unmetRequirements: (capabilities) => (capabilities.collections ? [] : ['it needs a backend that holds many collections']),
    async prepare() {},
    place(context, tenantId) {
      return {
        location: { collection: collectionOf(context, tenantId) },
        scope: {},
        physicalId: unchangedId,
        physicalSource: unchangedSource,
        tenantSource: unchangedSource,
      };
    },
    async onboard(context, tenantId) {
      const { dimension, metric } = context;
      await context.backend.ensureCollection({
        collection: { name: collectionOf(context, tenantId), dimension, metric, tenantField: false, partitioned: false, tenant: tenantId },
      });
    },
    async offboard(context, tenantId) {
      await context.backend.dropCollection({ collection: collectionOf(context, tenantId) });
    },
    async listTenants(context, { after, limit }) {
      const rules = context.backend.capabilities.collectionNames;
      const collections = await context.backend.listCollections({ prefix: `${tenantCollectionPrefix(context)}${rules.separator}` });
      return pageOfTenants(collections.map((collection) => collection.tenant), after, limit);
    },
  } satisfies IsolationStrategy);
}
