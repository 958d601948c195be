import { BACKEND_DESCRIPTOR_VERSION, sharedCeilings, type BackendDecision, type BackendDescriptor } from '@tenantvec/core/backend';
import { createWeaviateBackend } from './weaviate-backend.js';
import { weaviateSettingsSchema, type WeaviateBackendSettings } from './weaviate-settings.js';

const scalingLimits = 'https://docs.weaviate.io/weaviate/starter-guides/managing-collections/collections-scaling-limits';
const multiTenancy = 'https://docs.weaviate.io/weaviate/manage-collections/multi-tenancy';
const keywordSearch = 'https://docs.weaviate.io/weaviate/concepts/search/keyword-search';

/** Weaviate's limits for the decision helper: few collections, many native tenants. */
export const weaviateDecision: BackendDecision = {
  profile: () => ({
    ceilings: {
      'collection-per-tenant': { value: 1_000, source: `a collection count limit since v1.30 (MAXIMUM_ALLOWED_COLLECTIONS_COUNT): ${scalingLimits}` },
      'namespace-per-tenant': { value: 50_000, source: `native multi-tenancy, one shard per tenant, tens of thousands of active tenants per node: ${multiTenancy}` },
      ...sharedCeilings,
    },
    collectionPreferredBelow: { value: 20, source: `the docs steer to multi-tenancy rather than a collection per subset of data: ${scalingLimits}` },
    namespacePreferredUpTo: { value: 50_000, source: `native tenants scale to tens of thousands active per node: ${multiTenancy}` },
    dedicatedAbove: { value: 1_000_000, source: 'tenantvec default: a tenant this large gets its own collection' },
    keyword: { statistics: 'partition', source: `BM25 statistics per shard, and each native tenant is its own shard: ${keywordSearch}, ${multiTenancy}` },
  }),
};

export const weaviateBackendDescriptor: BackendDescriptor = {
  descriptorVersion: BACKEND_DESCRIPTOR_VERSION,
  type: 'weaviate',
  packageName: '@tenantvec/weaviate',
  settingsSchema: weaviateSettingsSchema,
  create: (settings) => createWeaviateBackend(settings as WeaviateBackendSettings),
  decision: weaviateDecision,
};

/** What `@tenantvec/core` looks for in this package: `type: weaviate`. */
export const backendDescriptors: readonly BackendDescriptor[] = [weaviateBackendDescriptor];
