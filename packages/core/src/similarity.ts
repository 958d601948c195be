import { euclideanSimilarity } from './backend-kit/similarity-from-distance.js';

/**
 * How closeness is measured. Scores are always similarities, higher is better:
 * - `cosine`: cosine similarity, from -1 to 1;
 * - `dot`: the inner product, unbounded;
 * - `euclidean`: `1 / (1 + distance)`, from 0 (far) to 1 (identical).
 */
export type Metric = 'cosine' | 'dot' | 'euclidean';

export const metrics: readonly Metric[] = ['cosine', 'dot', 'euclidean'];

export function similarity(metric: Metric, left: readonly number[], right: readonly number[]): number {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  let squaredDistance = 0;
  for (let index = 0; index < left.length; index += 1) {
    const a = left[index]!;
    const b = right[index]!;
    dot += a * b;
    leftNorm += a * a;
    rightNorm += b * b;
    squaredDistance += (a - b) * (a - b);
  }
  if (metric === 'dot') return dot;
  if (metric === 'euclidean') return euclideanSimilarity(Math.sqrt(squaredDistance));
  return dot / (Math.sqrt(leftNorm) * Math.sqrt(rightNorm));
}
