import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeDistribution, parseDistribution, tenantSizes } from './tenant-sizes.js';

describe('tenantSizes', () => {
  it('sums to exactly the records asked for, each tenant at least 1, largest first', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 3000 }), fc.integer({ min: 0, max: 300_000 }), fc.double({ min: 0.1, max: 3, noNaN: true }), (tenants, extra, exponent) => {
      const records = tenants + extra;
      const sizes = tenantSizes({ tenants, records, distribution: { kind: 'zipf', exponent } });
      expect(sizes).toHaveLength(tenants);
      expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(records);
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(1);
      for (let index = 1; index < sizes.length; index += 1) expect(sizes[index]!).toBeLessThanOrEqual(sizes[index - 1]! + 1);
    }), { numRuns: 200 });
  });

  it('follows Zipf: with s = 1 the second tenant holds about half the first, the tenth a tenth', () => {
    const sizes = tenantSizes({ tenants: 1000, records: 200_000, distribution: { kind: 'zipf', exponent: 1 } });
    expect(sizes[0]).toBe(26_586);
    expect(sizes[1]! / sizes[0]!).toBeCloseTo(0.5, 2);
    expect(sizes[9]! / sizes[0]!).toBeCloseTo(0.1, 2);
  });

  it('spreads evenly under uniform, the remainder going to the first tenants', () => {
    expect(tenantSizes({ tenants: 4, records: 10, distribution: { kind: 'uniform' } })).toEqual([3, 3, 2, 2]);
  });

  it('gives tiers their share of tenants and records, evenly, the rest to the tenants left', () => {
    const tiers = parseDistribution('tiers:0.05%:15%,0.45%:18%,11%:57%')!;
    const sizes = tenantSizes({ tenants: 10_000, records: 1_000_000, distribution: tiers });
    expect(sizes.reduce((sum, size) => sum + size, 0)).toBe(1_000_000);
    expect(sizes.slice(0, 5)).toEqual([30_000, 30_000, 30_000, 30_000, 30_000]);
    expect(sizes.filter((size) => size > 20_000)).toHaveLength(5);
    expect(sizes.filter((size) => size >= 500)).toHaveLength(1_150);
    expect(Math.min(...sizes)).toBe(11);
    // The same shape, small: at least one tenant a tier.
    const small = tenantSizes({ tenants: 200, records: 20_000, distribution: tiers });
    expect(small.filter((size) => size >= 500)).toHaveLength(24);
    expect(() => tenantSizes({ tenants: 2, records: 100, distribution: tiers })).toThrow(/too few for the tier/);
  });

  it('refuses fewer records than tenants', () => {
    expect(() => tenantSizes({ tenants: 5, records: 4, distribution: { kind: 'uniform' } })).toThrow(/one per tenant/);
  });
});

describe('parseDistribution', () => {
  it('reads zipf:S, zipf and uniform, and nothing else', () => {
    expect(parseDistribution('zipf:1.2')).toEqual({ kind: 'zipf', exponent: 1.2 });
    expect(parseDistribution('zipf')).toEqual({ kind: 'zipf', exponent: 1 });
    expect(parseDistribution('uniform')).toEqual({ kind: 'uniform' });
    for (const bad of ['zipf:0', 'zipf:-1', 'zipf:9', 'zipf:x', 'normal', '', 'tiers:', 'tiers:5%', 'tiers:0%:10%', 'tiers:60%:10%,40%:10%', 'tiers:5%:100%', 'tiers:5:10']) {
      expect(parseDistribution(bad)).toBeUndefined();
    }
    expect(describeDistribution(parseDistribution('tiers:0.5%:20%,10%:50%')!)).toBe('tiers:0.5%:20%,10%:50%');
    expect(describeDistribution({ kind: 'zipf', exponent: 1.5 })).toBe('zipf:1.5');
  });
});
