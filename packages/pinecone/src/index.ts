export { pinecone, PineconeBackend, COLLECTION_CATALOG, DEFAULT_NAMESPACE, PARTITION_CATALOG } from './pinecone-backend.js';
export type { Consistency, PineconeBackendSettings } from './pinecone-settings.js';
export type { RetrySettings } from '@tenantvec/core/backend';
export { filterToPinecone, scopedFilter, type PineconeFilter } from './filter-to-pinecone.js';
export { pineconeIdOf } from './point-ids.js';
export { systemField } from './system-fields.js';
export { backendDescriptors, pineconeBackendDescriptor } from './backend-descriptor.js';
export { pineconeDecision, pineconePlans, type PineconePlan } from './pinecone-plans.js';
