import { InvalidArgumentError } from '../errors.js';

/**
 * How a hybrid query merges its vector and keyword branches. Fusion runs in core for every
 * backend, so its meaning does not change with the database and each hit can say how it ranked
 * in both branches.
 */
export type Fusion =
  /** Reciprocal rank fusion: Σ weight / (k + rank). Needs no score calibration. */
  | { method: 'rrf'; k?: number; weights?: BranchWeights }
  /** Each branch's scores scaled to 0..1 by its own best and worst hit, then a weighted sum (Weaviate's relativeScoreFusion). */
  | { method: 'relative-score'; weights?: BranchWeights };

export interface BranchWeights {
  /** @default 1 */
  vector?: number;
  /** @default 1 */
  keyword?: number;
}

/** What one hybrid hit did in each branch; a branch it did not appear in is absent. */
export interface BranchPlaces {
  vector?: { rank: number; score: number };
  keyword?: { rank: number; score: number };
}

export const DEFAULT_RRF_K = 60;

interface BranchHit {
  id: string;
  score: number;
}

/** Checks a fusion before any I/O; returns it with defaults filled in. */
export function resolveFusion(fusion: Fusion | undefined): Required<Pick<Fusion, 'method'>> & { k: number; weights: Required<BranchWeights> } {
  const given = fusion ?? { method: 'rrf' };
  if (typeof given !== 'object' || given === null) throw new InvalidArgumentError('fusion must be { method: "rrf" | "relative-score", ... }.');
  const allowed = given.method === 'rrf' ? ['method', 'k', 'weights'] : given.method === 'relative-score' ? ['method', 'weights'] : undefined;
  if (allowed === undefined) throw new InvalidArgumentError(`fusion.method must be "rrf" or "relative-score", got ${JSON.stringify((given as { method?: unknown }).method)}.`);
  const unknown = Object.keys(given).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new InvalidArgumentError(`fusion does not take ${unknown.join(', ')} with method "${given.method}".`);
  const k = given.method === 'rrf' ? given.k ?? DEFAULT_RRF_K : DEFAULT_RRF_K;
  if (!Number.isFinite(k) || k <= 0) throw new InvalidArgumentError(`fusion.k must be a positive number, got ${String(k)}.`);
  const weights = { vector: given.weights?.vector ?? 1, keyword: given.weights?.keyword ?? 1 };
  const weightKeys = Object.keys(given.weights ?? {}).filter((key) => key !== 'vector' && key !== 'keyword');
  if (weightKeys.length > 0) throw new InvalidArgumentError(`fusion.weights takes vector and keyword, not ${weightKeys.join(', ')}.`);
  for (const [branch, weight] of Object.entries(weights)) {
    if (!Number.isFinite(weight) || weight < 0) throw new InvalidArgumentError(`fusion.weights.${branch} must be a number ≥ 0, got ${String(weight)}.`);
  }
  if (weights.vector === 0 && weights.keyword === 0) throw new InvalidArgumentError('fusion.weights cannot both be 0.');
  return { method: given.method, k, weights };
}

/**
 * Fuses two ranked lists (best first) into one, best first; ties go to the smaller id so the
 * order is the same on every backend.
 */
export function fuseBranches(params: {
  vector: readonly BranchHit[];
  keyword: readonly BranchHit[];
  fusion: ReturnType<typeof resolveFusion>;
}): { id: string; score: number; branches: BranchPlaces }[] {
  const { fusion } = params;
  const fused = new Map<string, { score: number; branches: BranchPlaces }>();
  const add = (branch: 'vector' | 'keyword', hits: readonly BranchHit[]) => {
    const weight = fusion.weights[branch];
    const best = hits.length === 0 ? 0 : Math.max(...hits.map((hit) => hit.score));
    const worst = hits.length === 0 ? 0 : Math.min(...hits.map((hit) => hit.score));
    hits.forEach((hit, index) => {
      const rank = index + 1;
      const part = fusion.method === 'rrf'
        ? weight / (fusion.k + rank)
        // A branch whose hits all score the same gives each the full weight: nothing tells them apart.
        : weight * (best === worst ? 1 : (hit.score - worst) / (best - worst));
      const entry = fused.get(hit.id) ?? { score: 0, branches: {} };
      entry.score += part;
      entry.branches[branch] = { rank, score: hit.score };
      fused.set(hit.id, entry);
    });
  };
  add('vector', params.vector);
  add('keyword', params.keyword);
  return [...fused]
    .map(([id, entry]) => ({ id, ...entry }))
    .sort((left, right) => right.score - left.score || (left.id < right.id ? -1 : left.id > right.id ? 1 : 0));
}
