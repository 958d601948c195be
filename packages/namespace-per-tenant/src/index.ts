import { ISOLATION_STRATEGY_CONTRACT_VERSION, pageOfTenants, physicalName, sharedCollectionName, unchangedId, unchangedSource, type IsolationStrategy, type StrategyContext } from '@tenantvec/core/backend';

function partitionOf(context: StrategyContext, tenantId: string): string {
  return physicalName({ prefix: 't', tenantId, rules: context.backend.capabilities.partitionNames });
}

/**
 * One partition per tenant inside one collection: a Postgres LIST partition, a Pinecone
 * namespace, a Qdrant shard key, a Weaviate native tenant. Each query reads one partition only,
 * so a tenant's latency and recall do not depend on its neighbours.
 */
export function namespacePerTenant(): IsolationStrategy {
  return Object.freeze({
    contractVersion: ISOLATION_STRATEGY_CONTRACT_VERSION,
    type: 'namespace-per-tenant' as const,
    unmetRequirements: (capabilities) => (capabilities.partitions ? [] : ['it needs a backend with partitions in a collection']),
    async prepare(context) {
      const { dimension, metric } = context;
      await context.backend.ensureCollection({
        collection: { name: sharedCollectionName(context, 'partitioned'), dimension, metric, tenantField: false, partitioned: true },
      });
    },
    place(context, tenantId) {
      return {
        location: { collection: sharedCollectionName(context, 'partitioned'), partition: partitionOf(context, tenantId) },
        scope: {},
        physicalId: unchangedId,
        physicalSource: unchangedSource,
        tenantSource: unchangedSource,
      };
    },
    async onboard(context, tenantId) {
      await context.backend.ensurePartition({
        collection: sharedCollectionName(context, 'partitioned'),
        partition: partitionOf(context, tenantId),
        tenant: tenantId,
      });
    },
    async offboard(context, tenantId) {
      await context.backend.dropPartition({ collection: sharedCollectionName(context, 'partitioned'), partition: partitionOf(context, tenantId) });
    },
    async listTenants(context, { after, limit }) {
      const partitions = await context.backend.listPartitions({ collection: sharedCollectionName(context, 'partitioned') });
      return pageOfTenants(partitions.map((partition) => partition.tenant), after, limit);
    },
  } satisfies IsolationStrategy);
}
