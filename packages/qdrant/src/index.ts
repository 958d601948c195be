export { qdrant, QdrantBackend } from './qdrant-backend.js';
export type { QdrantBackendSettings, QdrantConnection, QdrantOptions } from './qdrant-settings.js';
export type { RetrySettings } from '@tenantvec/core/backend';
export { pointIdOf, uuidV5, TENANTVEC_NAMESPACE } from './point-ids.js';
export { filterToQdrant, scopedFilter } from './filter-to-qdrant.js';
export { backendDescriptors, qdrantBackendDescriptor, qdrantDecision } from './backend-descriptor.js';
