import { ISOLATION_STRATEGY_CONTRACT_VERSION, sharedCollectionName, sharedPhysicalId, unchangedSource, type IsolationStrategy } from '@tenantvec/core/backend';

/**
 * One shared collection; every record carries its tenant in an indexed field, and every read,
 * count and delete is confined to it by the backend (never by merging into the caller's filter).
 * Scales to any number of tenants; backends must plan small tenants as exact scans to keep
 * recall (a shared approximate index post-filtered by tenant loses small tenants' results).
 */
export function metadataFilter(): IsolationStrategy {
  return Object.freeze({
    contractVersion: ISOLATION_STRATEGY_CONTRACT_VERSION,
    type: 'metadata-filter' as const,
    unmetRequirements: () => [],
    async prepare(context) {
      const { dimension, metric } = context;
      await context.backend.ensureCollection({
        collection: { name: sharedCollectionName(context, 'shared'), dimension, metric, tenantField: true, partitioned: false },
      });
    },
    place(context, tenantId) {
      return {
        location: { collection: sharedCollectionName(context, 'shared') },
        scope: { tenant: tenantId },
        tenantField: tenantId,
        physicalId: (recordId: string) => sharedPhysicalId(tenantId, recordId),
        physicalSource: unchangedSource,
        tenantSource: unchangedSource,
      };
    },
    async onboard() {},
    async offboard(context, tenantId) {
      await context.backend.rawDelete({ location: { collection: sharedCollectionName(context, 'shared') }, scope: { tenant: tenantId } });
    },
    async listTenants(context, { after, limit }) {
      return context.backend.rawListTenantKeys({
        collection: sharedCollectionName(context, 'shared'),
        key: 'tenant',
        limit,
        ...(after === undefined ? {} : { after }),
      });
    },
  } satisfies IsolationStrategy);
}
