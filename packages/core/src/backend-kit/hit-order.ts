import type { ScoredRecord } from '../vector-backend.js';

/** Ids in code-unit order: the order of `scan` pages and of ties between equal scores. */
export function compareIds(left: string, right: string): number {
  return left < right ? -1 : left > right ? 1 : 0;
}

/** Best first, exact ties by physical id ascending: the order every backend's `query` answers in. */
export function compareHits(left: ScoredRecord, right: ScoredRecord): number {
  return right.score - left.score || compareIds(left.id, right.id);
}

/** The `topK` best hits in contract order, from hits in any order. */
export function bestHits<Hit extends ScoredRecord>(hits: readonly Hit[], topK: number): Hit[] {
  return [...hits].sort(compareHits).slice(0, topK);
}
