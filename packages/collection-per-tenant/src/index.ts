import { ISOLATION_STRATEGY_CONTRACT_VERSION, pageOfTenants, unchangedId, unchangedSource, type IsolationStrategy } from '@tenantvec/core/backend';
import { assertNamesFit, assertNoCollectionsOfEarlierLayout, collectionOf, tenantListingPrefix } from './collection-names.js';

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
    async prepare(context) {
      assertNamesFit(context);
      await assertNoCollectionsOfEarlierLayout(context);
    },
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
      const collections = await context.backend.listCollections({ prefix: tenantListingPrefix(context) });
      // Only collections named for the tenant they hold: a collection another writer made under
      // this prefix, or one whose recorded tenant was changed, is not listed as a tenant.
      const tenants = collections.map(({ name, tenant }) => (tenant !== undefined && name === collectionOf(context, tenant) ? tenant : undefined));
      return pageOfTenants(tenants, after, limit);
    },
  } satisfies IsolationStrategy);
}

/** How this strategy names a store's tenant collections, for tools that look for them (the CLI). */
export { tenantListingPrefix } from './collection-names.js';
