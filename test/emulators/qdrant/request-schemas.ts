import { z } from 'zod';

/**
 * Request bodies of the Qdrant REST API v1.19, as zod schemas written from the OpenAPI types that
 * `@qdrant/js-client-rest` 1.19.0 ships (`dist/types/openapi/generated_schema.d.ts`, names kept:
 * `CreateCollection`, `PointsList`, `Filter`…). Only the fields the emulator implements are
 * listed; every object is strict, so a field outside this subset — misspelled or merely
 * unimplemented — is refused with 400, as Qdrant refuses unknown fields. `request-schemas.test.ts`
 * checks at compile time that whatever these accept is also a valid client type.
 */

const uuidPattern = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
const unsigned = z.number().int().nonnegative();
const positive = z.number().int().positive();

/** ExtendedPointId: an unsigned integer or a UUID. */
export const pointId = z.custom<string | number>(
  (value) => (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) || (typeof value === 'string' && uuidPattern.test(value)),
  { error: (issue) => `value ${JSON.stringify(issue.input)} is not a valid point ID, valid values are either an unsigned integer or a UUID` },
);
export const shardKey = z.union([z.string().min(1), unsigned]);
const shardKeySelector = z.union([shardKey, z.array(shardKey), z.strictObject({ target: shardKey, fallback: shardKey })]);
const payload = z.record(z.string(), z.unknown());

/** ValueVariants: string, integer (i64) or boolean — no floats. */
const valueVariants = z.union([z.string(), z.number().int(), z.boolean()]);
const anyVariants = z.union([z.array(z.string()), z.array(z.number().int())]);
const match = z.union([
  z.strictObject({ value: valueVariants }),
  z.strictObject({ any: anyVariants }),
  z.strictObject({ except: anyVariants }),
]);
const range = z.strictObject({ lt: z.number().nullish(), gt: z.number().nullish(), gte: z.number().nullish(), lte: z.number().nullish() });

const fieldCondition = z.strictObject({
  key: z.string(),
  match: match.nullish(),
  range: range.nullish(),
  is_empty: z.boolean().nullish(),
  is_null: z.boolean().nullish(),
}).refine((condition) => [condition.match, condition.range, condition.is_empty, condition.is_null].some((part) => part != null), {
  message: 'At least one field condition must be specified',
});
const payloadField = z.strictObject({ key: z.string() });

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
    z.strictObject({ is_empty: payloadField }),
    z.strictObject({ is_null: payloadField }),
    z.strictObject({ has_id: z.array(pointId) }),
    filter,
  ], { error: 'Expected some form of condition, which can be a field condition (like {"key": ..., "match": ... }), or some other mentioned in the documentation' }),
);
const conditions = z.union([condition, z.array(condition)]);
export const filter: z.ZodType<FilterShape> = z.lazy(() =>
  z.strictObject({
    must: conditions.nullish(),
    should: conditions.nullish(),
    must_not: conditions.nullish(),
    min_should: z.strictObject({ conditions: z.array(condition), min_count: unsigned }).nullish(),
  }),
);

const hnswConfig = z.strictObject({
  m: unsigned.nullish(),
  ef_construct: unsigned.nullish(),
  full_scan_threshold: unsigned.nullish(),
  max_indexing_threads: unsigned.nullish(),
  on_disk: z.boolean().nullish(),
  payload_m: unsigned.nullish(),
});

export const createCollection = z.strictObject({
  vectors: z.strictObject({
    size: positive,
    distance: z.enum(['Cosine', 'Euclid', 'Dot', 'Manhattan']),
    on_disk: z.boolean().nullish(),
    hnsw_config: hnswConfig.nullish(),
  }),
  shard_number: positive.nullish(),
  sharding_method: z.enum(['auto', 'custom']).nullish(),
  replication_factor: positive.nullish(),
  write_consistency_factor: positive.nullish(),
  on_disk_payload: z.boolean().nullish(),
  hnsw_config: hnswConfig.nullish(),
  metadata: payload.nullish(),
});

export const updateCollection = z.strictObject({ metadata: payload.nullish(), hnsw_config: hnswConfig.nullish() });

const keywordIndexParams = z.strictObject({
  type: z.literal('keyword'),
  is_tenant: z.boolean().nullish(),
  on_disk: z.boolean().nullish(),
  enable_hnsw: z.boolean().nullish(),
});
export const createFieldIndex = z.strictObject({
  field_name: z.string().min(1),
  field_schema: z.union([z.enum(['keyword', 'integer', 'float', 'bool', 'uuid', 'datetime']), keywordIndexParams]).nullish(),
});

export const createShardingKey = z.strictObject({
  shard_key: shardKey,
  shards_number: positive.nullish(),
  replication_factor: positive.nullish(),
  placement: z.array(unsigned).nullish(),
});
export const dropShardingKey = z.strictObject({ shard_key: shardKey });

const withPayload = z.union([
  z.boolean(),
  z.array(z.string()),
  z.strictObject({ include: z.array(z.string()) }),
  z.strictObject({ exclude: z.array(z.string()) }),
]);

export const pointsList = z.strictObject({
  points: z.array(z.strictObject({ id: pointId, vector: z.array(z.number()), payload: payload.nullish() })),
  shard_key: shardKeySelector.nullish(),
});

export const pointsSelector = z.union([
  z.strictObject({ points: z.array(pointId), shard_key: shardKeySelector.nullish() }),
  z.strictObject({ filter, shard_key: shardKeySelector.nullish() }),
], { error: 'Expected either `points` (a list of ids) or `filter`' });

export const queryRequest = z.strictObject({
  query: z.union([z.array(z.number()), z.strictObject({ nearest: z.array(z.number()) })]),
  filter: filter.nullish(),
  params: z.strictObject({ hnsw_ef: unsigned.nullish(), exact: z.boolean().optional(), indexed_only: z.boolean().optional() }).nullish(),
  limit: unsigned.nullish(),
  offset: unsigned.nullish(),
  score_threshold: z.number().nullish(),
  with_payload: withPayload.nullish(),
  with_vector: z.boolean().nullish(),
  shard_key: shardKeySelector.nullish(),
});

export const countRequest = z.strictObject({ filter: filter.nullish(), exact: z.boolean().optional(), shard_key: shardKeySelector.nullish() });

const orderBy = z.union([
  z.string(),
  z.strictObject({ key: z.string(), direction: z.enum(['asc', 'desc']).nullish() }),
]);

export const scrollRequest = z.strictObject({
  offset: pointId.nullish(),
  order_by: orderBy.nullish(),
  limit: positive.nullish(),
  filter: filter.nullish(),
  with_payload: withPayload.nullish(),
  with_vector: z.boolean().optional(),
  shard_key: shardKeySelector.nullish(),
});

export const pointRequest = z.strictObject({
  ids: z.array(pointId),
  with_payload: withPayload.nullish(),
  with_vector: z.boolean().optional(),
  shard_key: shardKeySelector.nullish(),
});

export const facetRequest = z.strictObject({
  key: z.string(),
  limit: positive.nullish(),
  filter: filter.nullish(),
  exact: z.boolean().nullish(),
  shard_key: shardKeySelector.nullish(),
});
