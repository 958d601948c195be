import { QdrantHttpError, type EmulatedCollection, type StoredPoint } from './emulator-store.js';
import { notEmulated } from './schema-rules.js';
import type { PointVector, SparseVectorShape } from './vector-schemas.js';

/**
 * Named vectors of the emulator: the unnamed dense vector (named `""`, Qdrant's
 * `DEFAULT_VECTOR_NAME`) beside any number of sparse vectors, checked as Qdrant 1.19 checks them:
 * - collection creation (lib/storage/src/content_manager/collection_meta_ops.rs): each sparse name
 *   passes `validate_vector_name` (lib/common/common/src/validation.rs: at most 200 bytes, none of
 *   `< > : " / \ | ? *`, NUL or U+001F) and is not `""`, else 400 `Wrong input: …`;
 * - points and queries (lib/segment/src/common/mod.rs `check_vector`): a name the collection does
 *   not have is 400 `Wrong input: Not existing vector name error: <name>`; a sparse value for the
 *   dense vector, or a dense one for a sparse vector, is 400 `Wrong input: Conversion between
 *   sparse and regular vectors failed` (`OperationError::WrongSparse`);
 * - storage (lib/segment/src/vector_storage/sparse/stored_sparse_vectors.rs): indices sorted with
 *   their values (`double_sort`), values float32; reads return them so;
 * - reads (lib/segment/src/data_types/vectors.rs, `From<NamedVectors> for VectorStructInternal`):
 *   a point whose selected vectors are only the dense one answers a plain array, otherwise a map
 *   of name to vector; a point without a sparse vector simply lacks that key.
 * A point without its dense vector (optional vectors) is not emulated (501).
 */

export interface SparseVectorConfig {
  modifier?: 'none' | 'idf' | null;
  index?: { full_scan_threshold?: number | null; on_disk?: boolean | null } | null;
}

export type StoredSparseVector = SparseVectorShape;

const invalidNameCharacters = ['<', '>', ':', '"', '/', '\\', '|', '?', '*', '\0', '\u001f'];

/** The sparse vector names of a new collection, refused as Qdrant refuses them. */
export function checkSparseNames(names: readonly string[]): void {
  for (const name of names) {
    const problem = Buffer.byteLength(name, 'utf8') > 200
      ? 'vector name must be at most 200 bytes long'
      : invalidNameCharacters.filter((character) => name.includes(character)).map((character) => `vector name cannot contain "${character}" char`)[0];
    if (problem !== undefined) throw new QdrantHttpError(400, `Wrong input: Invalid sparse vector name \`${name}\`: ${problem}`);
  }
  if (names.includes('')) throw new QdrantHttpError(400, 'Wrong input: Sparse vector name cannot be empty');
}

export const notExistingVector = (name: string) => new QdrantHttpError(400, `Wrong input: Not existing vector name error: ${name}`);
export const wrongSparse = () => new QdrantHttpError(400, 'Wrong input: Conversion between sparse and regular vectors failed');

/** What a sparse vector is stored as: sorted by index, float32 values. */
export function storedSparse(vector: SparseVectorShape): StoredSparseVector {
  const order = vector.indices.map((_, position) => position).sort((left, right) => vector.indices[left]! - vector.indices[right]!);
  return { indices: order.map((position) => vector.indices[position]!), values: order.map((position) => Math.fround(vector.values[position]!)) };
}

/** A point's vectors split into the dense one and the sparse ones, each checked against the collection. */
export function namedVectorsOf(collection: EmulatedCollection, vector: PointVector): { dense: number[]; sparse: Map<string, StoredSparseVector> } {
  if (Array.isArray(vector)) return { dense: vector, sparse: new Map() };
  let dense: number[] | undefined;
  const sparse = new Map<string, StoredSparseVector>();
  for (const [name, value] of Object.entries(vector)) {
    if (name === '') {
      if (!Array.isArray(value)) throw wrongSparse();
      dense = value;
    } else if (!collection.sparseVectors.has(name)) {
      throw notExistingVector(name);
    } else if (Array.isArray(value)) {
      throw wrongSparse();
    } else {
      sparse.set(name, storedSparse(value));
    }
  }
  if (dense === undefined) throw notEmulated('a point without its dense vector (optional vectors)');
  return { dense, sparse };
}

type WithVector = boolean | string[] | null | undefined;

/** Refuses a vector selection naming a vector the collection does not have, before any point is read. */
export function checkVectorSelection(collection: EmulatedCollection, withVector: WithVector): void {
  if (!Array.isArray(withVector)) return;
  const unknown = withVector.find((name) => name !== '' && !collection.sparseVectors.has(name));
  if (unknown !== undefined) throw notExistingVector(unknown);
}

/** The `vector` of a point in a read's answer, or nothing when vectors were not asked for. */
export function vectorView(point: StoredPoint, withVector: WithVector): { vector?: number[] | Record<string, number[] | StoredSparseVector> } {
  if (withVector == null || withVector === false) return {};
  const names = withVector === true ? ['', ...point.sparse.keys()] : [...new Set(withVector)];
  const selected: Record<string, number[] | StoredSparseVector> = {};
  for (const name of names) {
    if (name === '') selected[name] = [...point.vector];
    else if (point.sparse.has(name)) selected[name] = structuredClone(point.sparse.get(name)!);
  }
  const keys = Object.keys(selected);
  return keys.length === 1 && keys[0] === '' ? { vector: selected['']! as number[] } : { vector: selected };
}
