/**
 * `@tenantvec/core/backend` for backend and strategy authors: the contracts, the descriptor a
 * package exports, the filter tree, name rules, scope and record checks, strict settings.
 * Applications use `@tenantvec/core`; nothing here is needed to store or query records.
 */
export * from './vector-backend.js';
export type { KeywordSyntax } from './tenant-scope-types.js';
export * from './isolation-strategy.js';
export * from './backend-descriptor.js';
export { memoryBackendDescriptor } from './memory/memory-descriptor.js';
export { baselineBands, memoryDecision, sharedCeilings } from './decision/decision-profile.js';
export type { BackendDecision, DecisionProfile, RecordLimit, Threshold } from './decision/decision-profile.js';
export { backendPackageOf } from './config/load-adapter.js';

export * from './errors.js';
export type * from './filter/filter-types.js';
export { filterOperators } from './filter/filter-types.js';
export { MAX_TERM_LENGTH, queryTerms, termCounts, termIndex, textTerms, websearchTerms } from './keyword/text-terms.js';
export { sparseQueryTerms, sparseTermWeights, type SparseTerms } from './keyword/sparse-terms.js';
export { defaultBm25, inverseDocumentFrequency, scoreBm25, termWeight, type Bm25Formula, type Bm25Parameters } from './keyword/bm25.js';
export { termStatisticsIsolated } from './keyword/term-statistics.js';
export { filterLimits, operatorsUsed, parseFilter } from './filter/parse-filter.js';
export { matchesFilter } from './filter/evaluate-filter.js';
export { metrics, similarity, type Metric } from './similarity.js';

export { hashOf, physicalName, type NameRules } from './physical-name.js';
export { assertValidTenantId, isValidTenantId, MAX_TENANT_ID_LENGTH } from './tenant-id.js';
export { isWithinSource, joinSource, MAX_SOURCE_LENGTH, normalizeSource, sourceAncestors } from './source-path.js';
export { isInScope, sourceRoot } from './scope-constraint.js';
export { DEFAULT_MAX_METADATA_BYTES, metadataKeyProblem, metadataProblem, reservedFieldNames } from './metadata.js';
export { MAX_RECORD_ID_LENGTH, recordIdProblem, vectorProblem } from './record-input.js';
export { baseNameFor, pageOfTenants, sharedCollectionName, sharedPhysicalId, unchangedId, unchangedSource } from './strategy-support.js';
export { closestName, editDistance, InvalidSettingsError, objectWith, parseSettings, renderPath, renderProblems, sentence, settingsProblemsOf } from './settings/strict-settings.js';
export type { ParseSettingsParams, SettingsProblem } from './settings/strict-settings.js';

// The toolkit: the logic every backend would otherwise write again, with one meaning everywhere.
export { defaultRetrySettings, resolveRetrySettings, retryAfterMs, retrySettingsSchema, type RetrySettings } from './backend-kit/retry-settings.js';
export { withRetries, type RetryBudget, type RetryDecision, type WithRetriesParams } from './backend-kit/with-retries.js';
export { euclideanSimilarity, similarityFromDistance, type ScoreConvention } from './backend-kit/similarity-from-distance.js';
export { bestHits, compareHits, compareIds } from './backend-kit/hit-order.js';
export { assertSameCollection, CollectionMismatchError, type ExistingCollection } from './backend-kit/collection-mismatch.js';
export { CatalogueBackend, type CollectionCatalogueMethods } from './backend-kit/catalogue-backend.js';
export { emptyWhenMissing, type EmptyWhenMissingParams } from './backend-kit/missing-as-empty.js';
