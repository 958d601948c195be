/**
 * Pinecone's sparse values (API 2026-04), as the emulator checks and scores them.
 *
 * Documented (docs.pinecone.io, "Upsert sparse-dense vectors", "Limits", "Known limitations"):
 * indices are uint32 and values float32, the two arrays pair up one to one, a sparse vector has
 * at most 1,000 non-zero values, a record with sparse values also carries dense values, and only
 * `dotproduct` indexes can be queried with a sparse vector; upserting and fetching sparse values
 * in other indexes succeeds. A sparse-dense match scores the dense dot product plus the sparse
 * one, and a dense part of zeros ranks by the sparse part alone (hybrid weighting with alpha 0,
 * "Hybrid search": guides/search/hybrid-search/single-index).
 *
 * Observed, not documented: the refusal of a sparse query on another metric is 400, gRPC code 3,
 * "Index configuration does not support sparse values" (langchain-ai/langchain#2451).
 *
 * Assumptions (no vendor text found): the wording of the other messages below; duplicate indices
 * are refused rather than summed; an empty sparse vector (no indices) is refused on upsert and
 * query alike, stricter than the service may be — the official client already refuses one in a
 * query, and refusing it hides no adapter that sends one.
 */
export interface SparseValues {
  indices: number[];
  values: number[];
}

export const MAX_SPARSE_VALUES = 1000;
const MAX_UINT32 = 0xff_ff_ff_ff;

/** What is wrong with a sparse vector, in Pinecone's words where known; undefined when it is valid. */
export function sparseValuesProblem(sparse: SparseValues): string | undefined {
  const { indices, values } = sparse;
  if (indices.length !== values.length) {
    return `Sparse vector indices and values must have the same length, got ${indices.length} indices and ${values.length} values`;
  }
  if (indices.length === 0) return 'Sparse vector must hold at least one index and value';
  if (indices.length > MAX_SPARSE_VALUES) {
    return `Sparse vector size ${indices.length} exceeds the maximum size of ${MAX_SPARSE_VALUES}`;
  }
  if (!indices.every((index) => Number.isInteger(index) && index >= 0 && index <= MAX_UINT32)) {
    return 'Sparse vector indices must be unsigned 32-bit integers';
  }
  if (new Set(indices).size !== indices.length) return 'Sparse vector indices must be unique';
  if (!values.every(Number.isFinite)) return 'Sparse vector values must be finite numbers';
  return undefined;
}

/** The stored form: float32 values, as Pinecone keeps them. */
export function storedSparseValues(sparse: SparseValues): SparseValues {
  return { indices: [...sparse.indices], values: sparse.values.map(Math.fround) };
}

/** The sparse dot product: only indices present in both count. */
export function sparseDot(query: SparseValues, stored: SparseValues | undefined): number {
  if (stored === undefined) return 0;
  const weights = new Map<number, number>();
  stored.indices.forEach((index, position) => weights.set(index, stored.values[position]!));
  let dot = 0;
  query.indices.forEach((index, position) => {
    dot += query.values[position]! * (weights.get(index) ?? 0);
  });
  return dot;
}
