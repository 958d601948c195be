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

  it('refuses fewer records than tenants', () => {
    expect(() => tenantSizes({ tenants: 5, records: 4, distribution: { kind: 'uniform' } })).toThrow(/one per tenant/);
  });
});

describe('parseDistribution', () => {
  it('reads zipf:S, zipf and uniform, and nothing else', () => {
    expect(parseDistribution('zipf:1.2')).toEqual({ kind: 'zipf', exponent: 1.2 });
    expect(parseDistribution('zipf')).toEqual({ kind: 'zipf', exponent: 1 });
    expect(parseDistribution('uniform')).toEqual({ kind: 'uniform' });
    for (const bad of ['zipf:0', 'zipf:-1', 'zipf:9', 'zipf:x', 'normal', '']) expect(parseDistribution(bad)).toBeUndefined();
    expect(describeDistribution({ kind: 'zipf', exponent: 1.5 })).toBe('zipf:1.5');
  });
});
