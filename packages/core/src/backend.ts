/**
 * `@tenantvec/core/backend`: what a backend author needs beside the contract. The toolkit holds
 * the logic every backend would otherwise write again, with one meaning everywhere: retries,
 * similarity from a vendor's distance, hit order, the "exists with another dimension or metric"
 * check and "a missing collection reads as empty".
 */
export { defaultRetrySettings, resolveRetrySettings, retryAfterMs, retrySettingsSchema, type RetrySettings } from './backend-kit/retry-settings.js';
export { withRetries, type RetryBudget, type RetryDecision, type WithRetriesParams } from './backend-kit/with-retries.js';
export { euclideanSimilarity, similarityFromDistance, type ScoreConvention } from './backend-kit/similarity-from-distance.js';
export { bestHits, compareHits, compareIds } from './backend-kit/hit-order.js';
export { assertSameCollection, CollectionMismatchError, type ExistingCollection } from './backend-kit/collection-mismatch.js';
export { CatalogueBackend, type CollectionCatalogueMethods } from './backend-kit/catalogue-backend.js';
export { emptyWhenMissing, type EmptyWhenMissingParams } from './backend-kit/missing-as-empty.js';
// Already exported by the main entry; a backend author finds them here too.
export { metrics, similarity, type Metric } from './similarity.js';
