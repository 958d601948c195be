/**
 * `@tenantvec/core` for applications: the store, its scopes, strategies and filters by name,
 * errors and config. What backend and strategy authors build on is `@tenantvec/core/backend`.
 */
export { createTenantVectorStore } from './tenant-vector-store.js';
export type { DropReport, DropVerification, ListTenantsResult, TenantVectorStore, TenantVectorStoreSettings } from './tenant-vector-store.js';
export type { DeleteParams, ExportPage, ExportParams, KeywordSyntax, QueryParams, TenantScope, TenantStats } from './tenant-scope.js';
export type { ChunkInput, DocumentPage, DocumentsParams, DocumentSummary, IngestManyParams, IngestParams, IngestProgress, IngestResult } from './documents/document-types.js';
export type { Collapse } from './documents/current-version-hits.js';
export { defaultSplitter, splitText, type SplitterSettings } from './documents/text-splitter.js';
export type { QueryMatch, RecordInput, TenantRecord } from './record-input.js';
export { MAX_RECORD_ID_LENGTH } from './record-input.js';
export type { BranchPlaces, BranchWeights, Fusion } from './keyword/fusion.js';
export type { KeywordSettings } from './keyword/term-statistics.js';

export * from './errors.js';
export { assertValidTenantId, isValidTenantId, MAX_TENANT_ID_LENGTH } from './tenant-id.js';
export { isWithinSource, joinSource, MAX_SOURCE_LENGTH, normalizeSource } from './source-path.js';
export { DEFAULT_MAX_METADATA_BYTES } from './metadata.js';
export type { Filter, FieldOperators, Metadata, MetadataScalar, MetadataValue } from './filter/filter-types.js';
export { metrics, type Metric } from './similarity.js';

// What an application holds and hands to the store; implementing one is the backend surface's job.
export type { BackendDescription, BulkLoadParams, BulkLoadReport, VectorBackend } from './vector-backend.js';
export type { IsolationStrategy, StrategyType } from './isolation-strategy.js';
export type { BackendDescriptor } from './backend-descriptor.js';

export * from './embedder.js';
export { localEmbedder, type LocalEmbedderSettings } from './local-embedder.js';
export { customEmbedder, type CustomEmbedderSettings } from './custom-embedder.js';
export { MemoryBackend, memoryBackend, type MemoryBackendSettings } from './memory/memory-backend.js';

export { recommendStrategy } from './decision/recommend-strategy.js';
export type { Compliance, DecisionSubject, DedicatedPlacement, RecommendStrategyInput, StrategyRecommendation, TenantShape } from './decision/recommend-strategy.js';
export type { Threshold } from './decision/decision-profile.js';

export { readStoreConfig } from './config/read-store-config.js';
export { isPlainConfig, settingsFromConfig, type ConfigOptions } from './config/settings-from-config.js';
export { storeConfigSchema, type TenantVectorStoreConfig } from './config/store-config-schema.js';
export { importFromApplication, loadBackendDescriptor, type ImportModule, type LoadBackendDescriptorParams } from './config/load-adapter.js';
export { substituteEnvironment } from './config/substitute-environment.js';
export { InvalidSettingsError, settingsProblemsOf, type SettingsProblem } from './settings/strict-settings.js';

export type { OperationCounts, OperationEvent, OperationInProgress, OperationName, OperationStart, OperationTracker, StoreHooks } from './operation-hooks.js';
export { fromJsonLine, readLines, toJsonLine } from './tenant-jsonl.js';
export { importTenant, type ImportReport, type ImportTenantParams } from './import-tenant.js';
