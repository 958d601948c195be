/**
 * The p-th percentile (0 ≤ p ≤ 1) by linear interpolation between the closest ranks (the
 * definition of NumPy's default and of most dashboards), so p50 of an even count is the mean
 * of the middle two. NaN for no samples.
 */
export function percentile(samples: readonly number[], p: number): number {
  if (p < 0 || p > 1) throw new RangeError('p must be between 0 and 1.');
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const below = Math.floor(rank);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (sorted[above]! - sorted[below]!) * (rank - below);
}

export interface LatencySummary {
  count: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function summarizeLatency(samplesMs: readonly number[]): LatencySummary {
  return {
    count: samplesMs.length,
    p50Ms: round(percentile(samplesMs, 0.5)),
    p95Ms: round(percentile(samplesMs, 0.95)),
    p99Ms: round(percentile(samplesMs, 0.99)),
    maxMs: round(samplesMs.length === 0 ? Number.NaN : Math.max(...samplesMs)),
  };
}

/** Rounds for reports: three significant decimals are below timer noise anyway. */
export function round(value: number, decimals = 3): number {
  if (!Number.isFinite(value)) return value;
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}
