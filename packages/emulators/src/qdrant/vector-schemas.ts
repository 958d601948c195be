import { z } from 'zod';
import { lenient, notEmulated, ruleIssue, unsigned } from './schema-rules.js';

/**
 * Vectors in request bodies as Qdrant 1.19 reads them (lib/api/src/rest/schema.rs: `Vector`,
 * `VectorStruct`, `VectorInput`, all `#[serde(untagged)]`, so the first variant that deserializes
 * wins). Implemented: a dense `Vec<f32>` and a `SparseVector { indices: Vec<u32>, values: Vec<f32> }`
 * (lib/sparse/src/common/sparse_vector.rs), alone or in a map of named vectors. Multi-dense
 * vectors and inference objects (`Document`, `Image`, `InferenceObject`) are answered 501.
 *
 * Rules (`validate_sparse_vector_impl`, 422 as every `validator` failure): values as many as
 * indices ("must be the same length as indices", on `values`) and indices unique ("must be
 * unique", on `indices`). In a map of named vectors the path names no key: `validate_iter` files
 * each child's errors under `?` (lib/common/common/src/validation.rs), so Qdrant reports
 * `points[0].vector.?.values` (tests/openapi/test_sparse_vector_validations.py).
 */

export interface SparseVectorShape {
  indices: number[];
  values: number[];
}

/** A u32 index: a negative, fractional or larger number does not deserialize (400). */
const dimensionIndex = unsigned.max(0xffff_ffff);
const dense = z.array(z.number());

const sparseShape = lenient('SparseVector', { indices: z.array(dimensionIndex), values: z.array(z.number()) });

/** Both sparse rules, reported at `prefix` + `indices` / `values`. */
export function sparseRules(vector: SparseVectorShape, context: z.core.$RefinementCtx, prefix: (string | number)[] = []): void {
  if (vector.indices.length !== vector.values.length) ruleIssue(context, [...prefix, 'values'], 'Validation error: must be the same length as indices [{}]');
  if (new Set(vector.indices).size !== vector.indices.length) ruleIssue(context, [...prefix, 'indices'], 'Validation error: must be unique [{}]');
}

export const sparseVector = sparseShape.superRefine((vector, context) => sparseRules(vector, context));

/** What the emulator does not read, refused with 501 before the union would call it a format error. */
function refuseUnemulated(value: unknown): unknown {
  if (Array.isArray(value) && value.some(Array.isArray)) throw notEmulated('multi-dense vectors');
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && 'model' in value) throw notEmulated('inference objects (Document, Image, InferenceObject) as vectors');
  return value;
}

/** One vector of a point's named map: dense or sparse. */
const namedValue = z.preprocess(refuseUnemulated, z.union([dense, sparseShape]));

/** `VectorStruct`: one unnamed dense vector, or named vectors (the unnamed one is named `""`). */
export const pointVector = z.preprocess(refuseUnemulated, z.union([
  dense,
  z.record(z.string(), namedValue).superRefine((named, context) => {
    for (const value of Object.values(named)) if (!Array.isArray(value)) sparseRules(value, context, ['?']);
  }),
]));

/** `VectorInput` of a query: dense or sparse. A point id as the query (search by example) is not emulated. */
export const queryVector = z.preprocess((value) => {
  if (typeof value === 'number' || typeof value === 'string') throw notEmulated('a point id as the query vector');
  return refuseUnemulated(value);
}, z.union([dense, sparseVector]));

export type PointVector = z.infer<typeof pointVector>;
export type QueryVector = z.infer<typeof queryVector>;
