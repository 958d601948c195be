import { ISOLATION_STRATEGY_CONTRACT_VERSION, joinSource, sharedCollectionName, sharedPhysicalId, type IsolationStrategy } from '@tenantvec/core/backend';

/**
 * One shared collection; a tenant is the first segment of every record's source path, and a
 * scope is an exact, segment-wise path prefix: tenant `acme` is the folder `acme/`, which never
 * holds `acme-corp/...`, and `kb/a_c` never matches `kb/abc` (no character is a wildcard).
 * Suits hierarchical corpora (`kb/finance/q4`) where narrower scopes inside a tenant matter.
 */
export function sourcePrefix(): IsolationStrategy {
  return Object.freeze({
    contractVersion: ISOLATION_STRATEGY_CONTRACT_VERSION,
    type: 'source-prefix' as const,
    unmetRequirements: () => [],
    async prepare(context) {
      const { dimension, metric } = context;
      await context.backend.ensureCollection({
        collection: { name: sharedCollectionName(context, 'paths'), dimension, metric, tenantField: false, partitioned: false },
      });
    },
    place(context, tenantId) {
      return {
        location: { collection: sharedCollectionName(context, 'paths') },
        scope: { sourcePrefix: tenantId },
        physicalId: (recordId: string) => sharedPhysicalId(tenantId, recordId),
        physicalSource: (source: string | undefined) => joinSource(tenantId, source),
        tenantSource: (physical: string | undefined) =>
          physical === undefined || physical === tenantId ? undefined : physical.slice(tenantId.length + 1),
      };
    },
    async onboard() {},
    async offboard(context, tenantId) {
      await context.backend.rawDelete({ location: { collection: sharedCollectionName(context, 'paths') }, scope: { sourcePrefix: tenantId } });
    },
    async listTenants(context, { after, limit }) {
      return context.backend.rawListTenantKeys({
        collection: sharedCollectionName(context, 'paths'),
        key: 'source-root',
        limit,
        ...(after === undefined ? {} : { after }),
      });
    },
  } satisfies IsolationStrategy);
}
