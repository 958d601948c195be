export { createTenantVectorStore } from './tenant-vector-store.js';
export type { ListTenantsResult, TenantVectorStore, TenantVectorStoreSettings } from './tenant-vector-store.js';
export type { DeleteParams, QueryParams, TenantScope, TenantStats } from './tenant-scope.js';
export type { QueryMatch, RecordInput, TenantRecord } from './record-input.js';
export { MAX_RECORD_ID_LENGTH, recordIdProblem, vectorProblem } from './record-input.js';

export * from './errors.js';
export { assertValidTenantId, isValidTenantId, MAX_TENANT_ID_LENGTH } from './tenant-id.js';
export { hashOf, physicalName, type NameRules } from './physical-name.js';
export { isWithinSource, joinSource, MAX_SOURCE_LENGTH, normalizeSource, sourceAncestors } from './source-path.js';
export { isInScope, sourceRoot } from './scope-constraint.js';
export { DEFAULT_MAX_METADATA_BYTES, metadataKeyProblem, metadataProblem, reservedFieldNames } from './metadata.js';

export type * from './filter/filter-types.js';
export { filterOperators } from './filter/filter-types.js';
export { filterLimits, operatorsUsed, parseFilter } from './filter/parse-filter.js';
export { matchesFilter } from './filter/evaluate-filter.js';

export { metrics, similarity, type Metric } from './similarity.js';
export * from './vector-backend.js';
export * from './isolation-strategy.js';
export * from './embedder.js';
export { localEmbedder, type LocalEmbedderSettings } from './local-embedder.js';
export { MemoryBackend, memoryBackend, type MemoryBackendSettings } from './memory/memory-backend.js';
export { baseNameFor, pageOfTenants, sharedCollectionName, sharedPhysicalId, unchangedId, unchangedSource } from './strategy-support.js';
export { recommendStrategy } from './decision/recommend-strategy.js';
export type { Compliance, DedicatedPlacement, RecommendStrategyInput, StrategyRecommendation, TenantShape } from './decision/recommend-strategy.js';
export { backendKinds, backendLimits, baselineBands, pineconePlans } from './decision/strategy-thresholds.js';
export type { BackendKind, PineconePlan, Threshold } from './decision/strategy-thresholds.js';
export { readStoreConfig } from './config/read-store-config.js';
export { isPlainConfig, settingsFromConfig, type ConfigOptions } from './config/settings-from-config.js';
export { backendConfigTypes, storeConfigSchema, type TenantVectorStoreConfig } from './config/store-config-schema.js';
export { adapterPackages, type ImportModule } from './config/load-adapter.js';
export { substituteEnvironment } from './config/substitute-environment.js';
export { customEmbedder, type CustomEmbedderSettings } from './custom-embedder.js';
export { OperationReporter } from './operation-hooks.js';
export type { OperationCounts, OperationEvent, OperationInProgress, OperationName, OperationStart, OperationTracker, StoreHooks } from './operation-hooks.js';
