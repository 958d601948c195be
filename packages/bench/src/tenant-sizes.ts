/** One tier: this percentage of the tenants holds this percentage of the records, evenly. */
export interface SizeTier {
  tenantsPercent: number;
  recordsPercent: number;
}

/**
 * How record counts spread over tenants. `tiers` names a few groups of tenants and their share
 * of the records (the tenants left share the records left evenly): a shape Zipf cannot give,
 * such as a thousand mid-size tenants beside a handful of very large ones. Shares scale with
 * `--tenants` and `--vectors`, so the same shape runs small.
 */
export type SizeDistribution = { kind: 'zipf'; exponent: number } | { kind: 'uniform' } | { kind: 'tiers'; tiers: SizeTier[] };

const tierPattern = /^(\d+(?:\.\d+)?)%:(\d+(?:\.\d+)?)%$/;

function parseTiers(text: string): SizeDistribution | undefined {
  const tiers: SizeTier[] = [];
  for (const part of text.split(',')) {
    const match = tierPattern.exec(part.trim());
    if (match === null) return undefined;
    tiers.push({ tenantsPercent: Number(match[1]), recordsPercent: Number(match[2]) });
  }
  const tenantsPercent = tiers.reduce((sum, tier) => sum + tier.tenantsPercent, 0);
  const recordsPercent = tiers.reduce((sum, tier) => sum + tier.recordsPercent, 0);
  // The tenants left over need records of their own: both shares stay below 100 %.
  if (tiers.some((tier) => tier.tenantsPercent <= 0 || tier.recordsPercent <= 0) || tenantsPercent >= 100 || recordsPercent >= 100) return undefined;
  return { kind: 'tiers', tiers };
}

/**
 * Reads `zipf:1.1`, `zipf` (exponent 1), `uniform`, or `tiers:T%:R%,…` (T % of the tenants
 * hold R % of the records); undefined when the text is none of them.
 */
export function parseDistribution(text: string): SizeDistribution | undefined {
  if (text === 'uniform') return { kind: 'uniform' };
  if (text.startsWith('tiers:')) return parseTiers(text.slice('tiers:'.length));
  const zipf = /^zipf(?::(\d+(?:\.\d+)?))?$/.exec(text);
  if (zipf === null) return undefined;
  const exponent = zipf[1] === undefined ? 1 : Number(zipf[1]);
  return exponent > 0 && exponent <= 4 ? { kind: 'zipf', exponent } : undefined;
}

export function describeDistribution(distribution: SizeDistribution): string {
  if (distribution.kind === 'tiers') return `tiers:${distribution.tiers.map((tier) => `${tier.tenantsPercent}%:${tier.recordsPercent}%`).join(',')}`;
  return distribution.kind === 'uniform' ? 'uniform' : `zipf:${distribution.exponent}`;
}

/** `count` records over `tenants` tenants as evenly as whole numbers allow, largest first. */
function evenly(records: number, tenants: number): number[] {
  return Array.from({ length: tenants }, (_, index) => Math.floor(records / tenants) + (index < records % tenants ? 1 : 0));
}

function tieredSizes(tenants: number, records: number, tiers: readonly SizeTier[]): number[] {
  const sizes: number[] = [];
  let tenantsLeft = tenants;
  let recordsLeft = records;
  for (const tier of tiers) {
    const tierTenants = Math.max(1, Math.round((tenants * tier.tenantsPercent) / 100));
    const tierRecords = Math.floor((records * tier.recordsPercent) / 100);
    if (tierTenants >= tenantsLeft || tierRecords < tierTenants) throw new RangeError(`${tenants} tenants and ${records} records are too few for the tier ${tier.tenantsPercent}%:${tier.recordsPercent}%.`);
    sizes.push(...evenly(tierRecords, tierTenants));
    tenantsLeft -= tierTenants;
    recordsLeft -= tierRecords;
  }
  if (recordsLeft < tenantsLeft) throw new RangeError(`The ${tenantsLeft} tenants outside the tiers need at least one record each; ${recordsLeft} are left.`);
  sizes.push(...evenly(recordsLeft, tenantsLeft));
  return sizes.sort((a, b) => b - a);
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
  if (distribution.kind === 'tiers') return tieredSizes(tenants, records, distribution.tiers);
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
