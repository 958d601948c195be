export { WeaviateBackend, createWeaviateBackend as weaviate } from './weaviate-backend.js';
export type { WeaviateBackendSettings, WeaviateBehaviourSettings, WeaviateClientSettings, WeaviateConnectionSettings, WeaviateRetrySettings } from './weaviate-settings.js';
export type { RetrySettings } from '@tenantvec/core/backend';
export { objectUuid } from './point-ids.js';
export { metadataProperty, toWeaviateCollection } from './weaviate-names.js';
export { backendDescriptors, weaviateBackendDescriptor, weaviateDecision } from './backend-descriptor.js';
