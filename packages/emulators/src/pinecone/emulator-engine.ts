import { matchesPineconeFilter, type StoredMetadata } from './emulator-filter.js';
import { sparseDot, type SparseValues } from './sparse-values.js';

export type PineconeMetric = 'cosine' | 'euclidean' | 'dotproduct';

export interface StoredVector {
  id: string;
  values: number[];
  sparseValues?: SparseValues;
  metadata?: StoredMetadata;
}

/**
 * One serverless index's data: namespaces of vectors. Writes go through a queue that applies
 * them `lagMs` after they were accepted, which is how Pinecone's freshness lag is emulated;
 * every read first applies what has become due.
 */
export class IndexEngine {
  readonly namespaces = new Map<string, Map<string, StoredVector>>();
  private readonly pending: { due: number; apply: () => void }[] = [];

  constructor(
    readonly name: string,
    readonly dimension: number,
    readonly metric: PineconeMetric,
    private readonly lag: () => number,
  ) {}

  /** Applies writes whose lag has passed; reads call this first. */
  settle(): void {
    const now = Date.now();
    while (this.pending.length > 0 && this.pending[0]!.due <= now) this.pending.shift()!.apply();
  }

  write(apply: () => void): void {
    const lag = this.lag();
    if (lag <= 0 && this.pending.length === 0) apply();
    else this.pending.push({ due: Date.now() + lag, apply });
  }

  namespace(name: string): Map<string, StoredVector> | undefined {
    this.settle();
    return this.namespaces.get(name);
  }

  /** Creates the namespace at once (Pinecone lists a namespace as soon as a write to it is accepted). */
  ensureNamespace(name: string): Map<string, StoredVector> {
    let found = this.namespaces.get(name);
    if (found === undefined) {
      found = new Map();
      this.namespaces.set(name, found);
    }
    return found;
  }

  /** Matching vectors in id order (bitwise, like Pinecone's list). */
  select(namespace: string, filter: Record<string, unknown> | undefined): StoredVector[] {
    const vectors = [...(this.namespace(namespace)?.values() ?? [])];
    return vectors
      .filter((vector) => matchesPineconeFilter(filter, vector.metadata ?? {}))
      .sort((left, right) => (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
  }

  /** Pinecone's score: cosine similarity, dot product, or squared euclidean distance. */
  score(query: readonly number[], values: readonly number[]): number {
    let dot = 0;
    let queryNorm = 0;
    let valueNorm = 0;
    let squared = 0;
    for (let index = 0; index < query.length; index += 1) {
      const a = query[index]!;
      const b = values[index]!;
      dot += a * b;
      queryNorm += a * a;
      valueNorm += b * b;
      squared += (a - b) * (a - b);
    }
    if (this.metric === 'dotproduct') return dot;
    if (this.metric === 'euclidean') return squared;
    return dot / (Math.sqrt(queryNorm) * Math.sqrt(valueNorm));
  }

  /**
   * Exact top K, best first: highest score, or smallest distance for euclidean; ties by id. A
   * sparse query vector (dotproduct indexes only) adds the sparse dot product to the dense one.
   */
  query(params: { namespace: string; vector: readonly number[]; sparseVector?: SparseValues; topK: number; filter: Record<string, unknown> | undefined }) {
    const { namespace, vector, sparseVector, topK, filter } = params;
    const direction = this.metric === 'euclidean' ? 1 : -1;
    return this.select(namespace, filter)
      .map((stored) => ({ stored, score: this.score(vector, stored.values) + (sparseVector === undefined ? 0 : sparseDot(sparseVector, stored.sparseValues)) }))
      .sort((left, right) => direction * (left.score - right.score) || (left.stored.id < right.stored.id ? -1 : 1))
      .slice(0, topK);
  }
}
