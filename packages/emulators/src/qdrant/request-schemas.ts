import { z } from 'zod';
import { atLeast, lenient, notEmulated, positive, rule, unsigned, validationRule } from './schema-rules.js';
import { pointVector, queryVector } from './vector-schemas.js';

/**
 * Request bodies of the Qdrant REST API 1.19, as zod schemas named after the OpenAPI components
 * (`CreateCollection`, `PointStruct`, `Filter`…) and checked against the client's types by
 * `request-schemas.types.ts`. Only the fields the emulator implements are listed. What Qdrant
 * does with the rest, and where each rule comes from (github.com/qdrant/qdrant at v1.19.0):
 *
 * - Unknown keys are ignored (serde's default), except inside `Filter` and the payload selectors
 *   `{ include }` / `{ exclude }`, which carry `deny_unknown_fields` (lib/segment/src/types.rs;
 *   the OpenAPI document marks exactly these `additionalProperties: false`). Those are refused
 *   with 400. A key that Qdrant's schema does define but the emulator does not implement
 *   (`prefetch`, `quantization_config`…) is answered 501, so that nothing is silently ignored
 *   that Qdrant would act on.
 * - Aliases: `vectors` for `vector` in a point (`PointStruct`, lib/api/src/rest/schema.rs),
 *   `with_vectors` for `with_vector` in query, scroll and retrieve requests.
 * - Value rules are `validator` attributes; breaking one is 422 `Validation error in JSON body:
 *   [path: message]` (src/actix/mod.rs, `validation_error_handler`), while a body that does not
 *   deserialize is 400 `Format error in JSON body`. Marked below with `rule(...)`:
 *   vector size 1..=65536 (`VectorParams`, tests/openapi/test_limits.py), `ef_construct` ≥ 4 and
 *   `full_scan_threshold` ≥ 10 (`HnswConfigDiff`, lib/collection/src/operations/config_diff.rs,
 *   test_validation.py `test_validation_body_param`), `shard_number`, `replication_factor`,
 *   `write_consistency_factor` ≥ 1 (`CreateCollection`, test_validation.py
 *   `test_validation_positive_integer_zero`; negative values do not fit `u32`: 400),
 *   `hnsw_ef` ≥ 1 (`SearchParams`, `test_validation_search_hnsw_ef_zero`), query, scroll and facet
 *   `limit` ≥ 1 (test_query.py, lib/shard/src/scroll.rs, `FacetRequestInternal`), a field
 *   condition names at least one condition (test_filter.py `test_just_key`), `min_should.min_count`
 *   ≥ 1 (`MinShould`). A vector size of 0 and a shard key's `shards_number` of 0 are `NonZero`
 *   types: 400. Flattened request structs prefix the path (`internal.limit` in a query). Sparse
 *   vectors' two rules (equal lengths, unique indices) are in `vector-schemas.ts`.
 * - Sparse vectors (`sparse_vectors` of a collection, sparse values in points and queries,
 *   `using`, `params.idf`) are emulated beside the one unnamed dense vector; a collection with
 *   named dense vectors or with no dense vector is answered 501, not refused.
 */

const uuidPattern = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
export { validationRule };

/** ExtendedPointId: an unsigned integer or a UUID. */
export const pointId = z.custom<string | number>(
  (value) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) || (typeof value === 'string' && uuidPattern.test(value)),
  { error: (issue) => `value ${JSON.stringify(issue.input)} is not a valid point ID, valid values are either an unsigned integer or a UUID` },
);
export const shardKey = z.union([z.string().min(1), unsigned]);
const shardKeySelector = z.union([shardKey, z.array(shardKey), z.object({ target: shardKey, fallback: shardKey })]);
const payload = z.record(z.string(), z.unknown());

/** ValueVariants: string, integer (i64) or boolean — no floats. */
const valueVariants = z.union([z.string(), z.number().int(), z.boolean()]);
const anyVariants = z.union([z.array(z.string()), z.array(z.number().int())]);
const match = z.union([z.object({ value: valueVariants }), z.object({ any: anyVariants }), z.object({ except: anyVariants })]);
const range = z.object({ lt: z.number().nullish(), gt: z.number().nullish(), gte: z.number().nullish(), lte: z.number().nullish() });

const fieldCondition = lenient('FieldCondition', {
  key: z.string(),
  match: match.nullish(),
  range: range.nullish(),
  is_empty: z.boolean().nullish(),
  is_null: z.boolean().nullish(),
}).superRefine(rule(
  (condition) => [condition.match, condition.range, condition.is_empty, condition.is_null].some((part) => part != null),
  () => 'Validation error: At least one field condition must be specified [{}]',
));
const payloadField = z.object({ key: z.string() });

export interface FilterShape {
  must?: ConditionShape | ConditionShape[] | null;
  should?: ConditionShape | ConditionShape[] | null;
  must_not?: ConditionShape | ConditionShape[] | null;
  min_should?: { conditions: ConditionShape[]; min_count: number } | null;
}
export type ConditionShape =
  | z.infer<typeof fieldCondition>
  | { is_empty: { key: string } }
  | { is_null: { key: string } }
  | { has_id: (string | number)[] }
  | FilterShape;

export const condition: z.ZodType<ConditionShape> = z.lazy(() =>
  z.union([
    fieldCondition,
    z.object({ is_empty: payloadField }),
    z.object({ is_null: payloadField }),
    z.object({ has_id: z.array(pointId) }),
    filter,
  ], { error: 'Expected some form of condition, which can be a field condition (like {"key": ..., "match": ... }), or some other mentioned in the documentation' }),
);
const conditions = z.union([condition, z.array(condition)]);
/** Filter: `deny_unknown_fields`, the one place besides payload selectors where Qdrant refuses unknown keys. */
export const filter: z.ZodType<FilterShape> = z.lazy(() =>
  z.strictObject({
    must: conditions.nullish(),
    should: conditions.nullish(),
    must_not: conditions.nullish(),
    min_should: z.object({
      conditions: z.array(condition),
      min_count: unsigned.superRefine(rule((count) => count >= 1, () => 'min_count must be greater than 0')),
    }).nullish(),
  }),
);

const hnswConfig = lenient('HnswConfigDiff', {
  m: unsigned.nullish(),
  ef_construct: atLeast(4).nullish(),
  full_scan_threshold: atLeast(10).nullish(),
  max_indexing_threads: unsigned.nullish(),
  on_disk: z.boolean().nullish(),
  payload_m: unsigned.nullish(),
});

/**
 * `SparseVectorParams` and its `SparseIndexParams` (lib/collection/src/operations/types.rs):
 * echoed back in collection info as given. `memory` and `datatype` are answered 501.
 */
const sparseVectorParams = lenient('SparseVectorParams', {
  index: lenient('SparseIndexParams', { full_scan_threshold: unsigned.nullish(), on_disk: z.boolean().nullish() }).nullish(),
  modifier: z.enum(['none', 'idf']).nullish(),
});

/** What the emulator does not create: a collection without its one unnamed dense vector. */
function refuseUnemulatedCollection(value: unknown): unknown {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const { vectors } = value as { vectors?: unknown };
  if (vectors == null) throw notEmulated('a collection without a dense vector (sparse vectors only)');
  const single = typeof vectors === 'object' && !Array.isArray(vectors) && ('size' in vectors || 'distance' in vectors);
  if (!single && typeof vectors === 'object' && !Array.isArray(vectors)) throw notEmulated('named dense vectors');
  return value;
}

export const createCollection = z.preprocess(refuseUnemulatedCollection, lenient('CreateCollection', {
  vectors: lenient('VectorParams', {
    size: positive.superRefine(rule((size) => size <= 65_536, (size) => `value ${size} invalid, must be from 1 to 65536`)),
    distance: z.enum(['Cosine', 'Euclid', 'Dot', 'Manhattan']),
    on_disk: z.boolean().nullish(),
    hnsw_config: hnswConfig.nullish(),
  }),
  shard_number: atLeast(1).nullish(),
  sharding_method: z.enum(['auto', 'custom']).nullish(),
  replication_factor: atLeast(1).nullish(),
  write_consistency_factor: atLeast(1).nullish(),
  on_disk_payload: z.boolean().nullish(),
  hnsw_config: hnswConfig.nullish(),
  sparse_vectors: z.record(z.string(), sparseVectorParams).nullish(),
  metadata: payload.nullish(),
}));

export const updateCollection = lenient('UpdateCollection', { metadata: payload.nullish(), hnsw_config: hnswConfig.nullish() });

const keywordIndexParams = lenient('KeywordIndexParams', {
  type: z.literal('keyword'),
  is_tenant: z.boolean().nullish(),
  on_disk: z.boolean().nullish(),
  enable_hnsw: z.boolean().nullish(),
});
export const createFieldIndex = lenient('CreateFieldIndex', {
  field_name: z.string().min(1),
  field_schema: z.union([z.enum(['keyword', 'integer', 'float', 'bool', 'uuid', 'datetime']), keywordIndexParams]).nullish(),
});

export const createShardingKey = lenient('CreateShardingKey', {
  shard_key: shardKey,
  shards_number: positive.nullish(),
  replication_factor: positive.nullish(),
  placement: z.array(unsigned).nullish(),
});
export const dropShardingKey = lenient('DropShardingKey', { shard_key: shardKey });

/** Payload selectors are `deny_unknown_fields`: `{ include, exclude }` together is refused. */
const withPayload = z.union([
  z.boolean(),
  z.array(z.string()),
  z.strictObject({ include: z.array(z.string()) }),
  z.strictObject({ exclude: z.array(z.string()) }),
], { error: 'Expected a boolean, an array of strings, or an object with an include/exclude field' });

const point = lenient('PointStruct', { id: pointId, vector: pointVector, payload: payload.nullish() }, { vectors: 'vector' });
export const pointsList = lenient('PointsList', { points: z.array(point), shard_key: shardKeySelector.nullish() });

export const pointsSelector = z.union([
  lenient('PointIdsList', { points: z.array(pointId), shard_key: shardKeySelector.nullish() }),
  lenient('FilterSelector', { filter, shard_key: shardKeySelector.nullish() }),
], { error: 'Expected either `points` (a list of ids) or `filter`' });

/** `WithVector`: all vectors, none, or the named ones (`""` is the unnamed dense vector). */
const withVector = z.union([z.boolean(), z.array(z.string())]);

/**
 * `IdfParams` (lib/segment/src/types.rs, Qdrant 1.19): `"global"`, or `{ corpus: Filter }` to
 * count IDF statistics over the points matching the corpus. Untagged: anything else is a format
 * error. Its `Validate` checks the corpus filter in place, so a rule broken inside it is reported
 * without a `corpus` segment (see `request-parsing.ts`).
 */
const idfParams = z.union([z.literal('global'), lenient('IdfCorpusParams', { corpus: filter })]);

export const queryRequest = lenient('QueryRequest', {
  query: z.union([queryVector, lenient('NearestQuery', { nearest: queryVector })]).nullish(),
  using: z.string().nullish(),
  filter: filter.nullish(),
  params: lenient('SearchParams', {
    hnsw_ef: atLeast(1).nullish(),
    exact: z.boolean().optional(),
    indexed_only: z.boolean().optional(),
    idf: idfParams.nullish(),
  }).nullish(),
  limit: atLeast(1).nullish(),
  offset: unsigned.nullish(),
  score_threshold: z.number().nullish(),
  with_payload: withPayload.nullish(),
  with_vector: withVector.nullish(),
  shard_key: shardKeySelector.nullish(),
}, { with_vectors: 'with_vector' });

export const countRequest = lenient('CountRequest', { filter: filter.nullish(), exact: z.boolean().optional(), shard_key: shardKeySelector.nullish() });

const orderBy = z.union([z.string(), lenient('OrderBy', { key: z.string(), direction: z.enum(['asc', 'desc']).nullish() })]);

export const scrollRequest = lenient('ScrollRequest', {
  offset: pointId.nullish(),
  order_by: orderBy.nullish(),
  limit: atLeast(1).nullish(),
  filter: filter.nullish(),
  with_payload: withPayload.nullish(),
  with_vector: withVector.optional(),
  shard_key: shardKeySelector.nullish(),
}, { with_vectors: 'with_vector' });

export const pointRequest = lenient('PointRequest', {
  ids: z.array(pointId),
  with_payload: withPayload.nullish(),
  with_vector: withVector.optional(),
  shard_key: shardKeySelector.nullish(),
}, { with_vectors: 'with_vector' });

export const facetRequest = lenient('FacetRequest', {
  key: z.string(),
  limit: atLeast(1).nullish(),
  filter: filter.nullish(),
  exact: z.boolean().nullish(),
  shard_key: shardKeySelector.nullish(),
});
