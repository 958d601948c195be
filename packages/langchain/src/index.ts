export { TenantScopedVectorStore, tenantRetriever, type TenantScopedVectorStoreArgs } from './tenant-scoped-vector-store.js';
export { DOCUMENT_SOURCE_KEY, fromStoredMetadata, toScopeFilter, toStoredMetadata } from './langchain-metadata.js';
