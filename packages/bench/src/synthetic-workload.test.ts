import { describe, expect, it } from 'vitest';
import { syntheticWorkload, type SyntheticWorkloadSettings } from './synthetic-workload.js';
import { vectorOf } from './workload.js';

const allVectors = (workload: ReturnType<typeof syntheticWorkload>) => workload.tenants.map((_, index) => Array.from(workload.tenantVectors(index)));

const settings: SyntheticWorkloadSettings = { tenants: 30, records: 25_000, dimension: 16, distribution: { kind: 'zipf', exponent: 1 }, queries: 90, seed: 42 };

describe('syntheticWorkload', () => {
  it('draws the same records and queries from the same seed, and others from another seed', () => {
    const first = syntheticWorkload(settings);
    const again = syntheticWorkload(settings);
    expect(allVectors(again)).toEqual(allVectors(first));
    expect(again.queries).toEqual(first.queries);
    const other = syntheticWorkload({ ...settings, seed: 43 });
    expect(allVectors(other)).not.toEqual(allVectors(first));
  });

  it('draws a tenant again, identically, after the memory budget dropped it', () => {
    const tight = syntheticWorkload({ ...settings, cachedFloats: 16 });
    const first = Array.from(tight.tenantVectors(0));
    for (let index = 1; index < settings.tenants; index += 1) tight.tenantVectors(index);
    expect(Array.from(tight.tenantVectors(0))).toEqual(first);
    expect(first).toEqual(Array.from(syntheticWorkload(settings).tenantVectors(0)));
  });

  it('keeps a tenant\'s records when the number of queries changes', () => {
    const more = syntheticWorkload({ ...settings, queries: 10 });
    expect(allVectors(more)).toEqual(allVectors(syntheticWorkload(settings)));
  });

  it('stores unit vectors, tenant after tenant, with ids sized by Zipf', () => {
    const workload = syntheticWorkload(settings);
    expect(workload.records).toBe(settings.records);
    expect(workload.tenants.reduce((sum, _, index) => sum + workload.tenantVectors(index).length, 0)).toBe(settings.records * settings.dimension);
    const last = workload.tenants.at(-1)!;
    expect(last.offset + last.size).toBe(settings.records);
    const norm = Math.hypot(...vectorOf(workload, 3, 5));
    expect(norm).toBeCloseTo(1, 5);
    expect(workload.tenants.map((tenant) => tenant.id).slice(0, 2)).toEqual(['tenant-0001', 'tenant-0002']);
  });

  it('shares the queries equally by the size buckets present', () => {
    const workload = syntheticWorkload(settings);
    const byBucket = new Map<string, number>();
    for (const query of workload.queries) {
      const bucket = workload.tenants[query.tenant]!.bucket;
      byBucket.set(bucket, (byBucket.get(bucket) ?? 0) + 1);
    }
    expect(Object.fromEntries(byBucket)).toEqual({ small: 45, medium: 45 });
  });

  it('makes clustered data: a record is much closer to its nearest neighbour than to a random one', () => {
    const workload = syntheticWorkload({ ...settings, tenants: 1, records: 2000, dimension: 64 });
    const base = vectorOf(workload, 0, 0);
    const similarities = Array.from({ length: 1999 }, (_, index) => vectorOf(workload, 0, index + 1).reduce((sum, value, position) => sum + value * base[position]!, 0));
    similarities.sort((a, b) => b - a);
    expect(similarities[0]! - similarities[1000]!).toBeGreaterThan(0.3);
  });
});
