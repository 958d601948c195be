export { TenantScopedVectorStore, tenantRetriever, type TenantScopedVectorStoreArgs } from './tenant-scoped-vector-store.js';
export { langchainEmbedder, type LangchainEmbedderSettings } from './langchain-embedder.js';
export { DOCUMENT_SOURCE_KEY, fromStoredMetadata, toScopeFilter, toStoredMetadata } from './langchain-metadata.js';
