import { BACKEND_DESCRIPTOR_VERSION, baselineBands, sharedCeilings, type BackendDecision, type BackendDescriptor } from '@tenantvec/core/backend';
import { qdrant } from './qdrant-backend.js';
import { qdrantSettingsSchema, type QdrantBackendSettings } from './qdrant-settings.js';

/** Qdrant's limits for the decision helper, from its multitenancy guides. */
export const qdrantDecision: BackendDecision = {
  profile: () => ({
    ceilings: {
      'collection-per-tenant': { value: 500, source: 'each collection carries its own overhead; a few hundred is the practical limit: https://qdrant.tech/documentation/manage-data/multitenancy/, https://github.com/qdrant/qdrant/issues/4241' },
      'namespace-per-tenant': { value: 1_000, source: 'dedicated shards (user-defined shard keys) suit a smaller number of larger tenants: https://qdrant.tech/documentation/manage-data/multitenancy/' },
      ...sharedCeilings,
    },
    collectionPreferredBelow: baselineBands.collectionBelow,
    namespacePreferredUpTo: baselineBands.namespaceUpTo,
    dedicatedAbove: { value: 20_000, source: 'tiered multitenancy: large tenants are promoted to their own shard: https://qdrant.tech/documentation/deploy-and-scale/multitenant-search/' },
    keyword: {
      statistics: 'scope',
      source: 'sparse vectors with the idf modifier; IDF counted per query over the scope\'s walls (params.idf.corpus, Qdrant 1.19: lib/segment/src/types.rs IdfParams; keyword-vectors.ts)',
    },
  }),
};

export const qdrantBackendDescriptor: BackendDescriptor = {
  descriptorVersion: BACKEND_DESCRIPTOR_VERSION,
  type: 'qdrant',
  packageName: '@tenantvec/qdrant',
  settingsSchema: qdrantSettingsSchema,
  create: (settings) => qdrant(settings as QdrantBackendSettings),
  decision: qdrantDecision,
};

/** What `@tenantvec/core` looks for in this package: `type: qdrant`. */
export const backendDescriptors: readonly BackendDescriptor[] = [qdrantBackendDescriptor];
