import { textTerms } from '@tenantvec/core/backend';
import { describe, expect, it } from 'vitest';
import { labelledTextWorkload, type LabelledTextWorkloadSettings } from './labelled-text-workload.js';
import { vectorOf } from './workload.js';

const settings: LabelledTextWorkloadSettings = { tenants: 12, records: 6_000, dimension: 16, distribution: { kind: 'zipf', exponent: 1 }, queries: 40, seed: 7, topK: 10 };

const cosine = (left: ArrayLike<number>, right: ArrayLike<number>) => {
  let dot = 0;
  let leftNorm = 0;
  let rightNorm = 0;
  for (let index = 0; index < left.length; index += 1) {
    dot += left[index]! * right[index]!;
    leftNorm += left[index]! ** 2;
    rightNorm += right[index]! ** 2;
  }
  return dot / Math.sqrt(leftNorm * rightNorm);
};

const localOf = (id: string) => Number(id.split('.')[1]);
const mean = (values: readonly number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;

describe('labelledTextWorkload', () => {
  const workload = labelledTextWorkload(settings);

  it('plants topK relevant documents and distractors per query, inside the asking tenant only', () => {
    expect(workload.queries.length).toBeGreaterThan(0);
    for (const query of workload.queries) {
      expect(query.relevant).toHaveLength(settings.topK);
      const planted = [...query.relevant, ...query.vectorDistractors, ...query.keywordDistractors];
      expect(new Set(planted).size).toBe(planted.length);
      expect(query.vectorDistractors.length).toBeGreaterThanOrEqual(3);
      expect(query.keywordDistractors.length).toBeLessThanOrEqual(7);
      const texts = workload.tenantTexts(query.tenant);
      const holding = texts.flatMap((text, local) => (textTerms(text).includes(query.keyword) ? [local] : []));
      // The keyword is in exactly the relevant documents and the keyword distractors of this query.
      expect(holding.sort((left, right) => left - right)).toEqual([...query.relevant, ...query.keywordDistractors].map(localOf).sort((left, right) => left - right));
      for (const id of query.relevant) expect(textTerms(texts[localOf(id)]!).filter((term) => term === query.keyword)).toHaveLength(1);
      for (const id of query.keywordDistractors) expect(textTerms(texts[localOf(id)]!).filter((term) => term === query.keyword)).toHaveLength(5);
      expect(textTerms(query.text)).toContain(query.keyword);
    }
  });

  it('puts vector distractors closer to the query than the relevant documents, and those closer than the rest', () => {
    const near: number[] = [];
    const relevant: number[] = [];
    const ordinary: number[] = [];
    for (const query of workload.queries) {
      const similarity = (id: string) => cosine(query.vector, vectorOf(workload, query.tenant, localOf(id)));
      near.push(...query.vectorDistractors.map(similarity));
      relevant.push(...query.relevant.map(similarity));
      const planted = new Set([...query.relevant, ...query.vectorDistractors, ...query.keywordDistractors].map(localOf));
      const size = workload.tenants[query.tenant]!.size;
      for (let local = 0; local < size; local += Math.ceil(size / 50)) if (!planted.has(local)) ordinary.push(cosine(query.vector, vectorOf(workload, query.tenant, local)));
    }
    expect(mean(near)).toBeGreaterThan(mean(relevant) + 0.1);
    expect(mean(relevant)).toBeGreaterThan(mean(ordinary) + 0.1);
  });

  it('shares the j-th keyword of every tenant, so a keyword search that crossed the walls would find it elsewhere', () => {
    const byTenant = new Map<number, string[]>();
    for (const query of workload.queries) byTenant.set(query.tenant, [...(byTenant.get(query.tenant) ?? []), query.keyword]);
    const firsts = new Set([...byTenant.values()].map((keywords) => keywords[0]));
    expect(byTenant.size).toBeGreaterThan(1);
    expect(firsts.size).toBe(1);
  });

  it('draws the same documents and queries from the same seed', () => {
    const again = labelledTextWorkload(settings);
    expect(again.queries).toEqual(workload.queries);
    expect(again.tenantTexts(3)).toEqual(workload.tenantTexts(3));
    expect(labelledTextWorkload({ ...settings, seed: 8 }).tenantTexts(3)).not.toEqual(workload.tenantTexts(3));
  });
});
