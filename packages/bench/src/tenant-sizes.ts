/** How record counts spread over tenants. */
export type SizeDistribution = { kind: 'zipf'; exponent: number } | { kind: 'uniform' };

/** Reads `zipf:1.1`, `zipf` (exponent 1) or `uniform`; undefined when the text is neither. */
export function parseDistribution(text: string): SizeDistribution | undefined {
  if (text === 'uniform') return { kind: 'uniform' };
  const zipf = /^zipf(?::(\d+(?:\.\d+)?))?$/.exec(text);
  if (zipf === null) return undefined;
  const exponent = zipf[1] === undefined ? 1 : Number(zipf[1]);
  return exponent > 0 && exponent <= 4 ? { kind: 'zipf', exponent } : undefined;
}

export function describeDistribution(distribution: SizeDistribution): string {
  return distribution.kind === 'uniform' ? 'uniform' : `zipf:${distribution.exponent}`;
}

/**
 * Record counts for `tenants` tenants, largest first, summing to exactly `records`, each at
 * least 1. Zipf gives the tenant of rank i a share proportional to 1 / i^s — the long tail of a
 * real SaaS product, where a few customers hold most of the data.
 */
export function tenantSizes(params: { tenants: number; records: number; distribution: SizeDistribution }): number[] {
  const { tenants, records, distribution } = params;
  if (!Number.isInteger(tenants) || tenants < 1) throw new RangeError('tenants must be a whole number of at least 1.');
  if (!Number.isInteger(records) || records < tenants) throw new RangeError('records must be a whole number, at least one per tenant.');
  const weights = Array.from({ length: tenants }, (_, index) => (distribution.kind === 'uniform' ? 1 : 1 / (index + 1) ** distribution.exponent));
  const totalWeight = weights.reduce((sum, weight) => sum + weight, 0);
  // Every tenant gets one record first, so none is empty; the rest is shared by weight, and the
  // largest remainders take the records that rounding down left over, so the sum is exact.
  const spare = records - tenants;
  const shares = weights.map((weight) => (spare * weight) / totalWeight);
  const sizes = shares.map((share) => 1 + Math.floor(share));
  let left = records - sizes.reduce((sum, size) => sum + size, 0);
  const byRemainder = shares.map((share, index) => ({ index, remainder: share - Math.floor(share) }))
    .sort((a, b) => b.remainder - a.remainder || a.index - b.index);
  for (const { index } of byRemainder) {
    if (left === 0) break;
    sizes[index]! += 1;
    left -= 1;
  }
  return sizes;
}
