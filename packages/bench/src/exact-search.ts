import { recordId, vectorOf, type Workload } from './workload.js';

export interface ExactAnswer {
  /** The true top k ids, best first. */
  ids: string[];
  /** Similarity of the k-th true result: a returned record scoring at least this is a tie, not a miss. */
  kthScore: number;
}

/** Cosine similarity of unit vectors: their dot product. */
export function dot(left: Float32Array, right: Float32Array): number {
  let sum = 0;
  for (let index = 0; index < left.length; index += 1) sum += left[index]! * right[index]!;
  return sum;
}

/** Brute force over the asking tenant's records only: the ground truth every strategy must match. */
export function exactTopK(workload: Workload, tenantIndex: number, query: Float32Array, k: number): ExactAnswer {
  const size = workload.tenants[tenantIndex]!.size;
  const best: { id: number; score: number }[] = [];
  for (let local = 0; local < size; local += 1) {
    const score = dot(query, vectorOf(workload, tenantIndex, local));
    if (best.length === k && score <= best[k - 1]!.score) continue;
    let position = best.length === k ? k - 1 : best.length;
    while (position > 0 && best[position - 1]!.score < score) position -= 1;
    best.splice(position, 0, { id: local, score });
    if (best.length > k) best.pop();
  }
  return { ids: best.map(({ id }) => recordId(tenantIndex, id)), kthScore: best.at(-1)?.score ?? Number.NEGATIVE_INFINITY };
}

/**
 * recall@k: the share of the true top k that came back. A returned record that is not in the
 * true list but scores as high as the k-th true result is a tie, and counts as found — exact
 * backends may break ties differently from the ground truth. `scoreOf` gives a returned
 * record's true similarity (undefined for a record that is not the tenant's).
 */
export function recallAtK(params: {
  returned: readonly string[];
  expected: ExactAnswer;
  scoreOf?: (id: string) => number | undefined;
  tolerance?: number;
}): number {
  const { returned, expected, scoreOf, tolerance = 1e-5 } = params;
  if (expected.ids.length === 0) return 1;
  const truth = new Set(expected.ids);
  let found = 0;
  for (const id of new Set(returned.slice(0, expected.ids.length))) {
    const score = truth.has(id) ? undefined : scoreOf?.(id);
    if (truth.has(id) || (score !== undefined && score >= expected.kthScore - tolerance)) found += 1;
  }
  return Math.min(1, found / expected.ids.length);
}
