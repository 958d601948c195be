import { createTenantVectorStore, customEmbedder, memoryBackend } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { describe, expect, it } from 'vitest';
import { embeddingCost, embeddingPrices } from './embedding-prices.js';
import { memoryUsageSink, meteringHooks, rollUpMonthly, type UsageRecord } from './metering-hooks.js';

describe('embedding prices', () => {
  it('price OpenAI embedding models per million tokens, with source and date', () => {
    expect(embeddingCost('text-embedding-3-small', 1_000_000)).toBeCloseTo(0.02, 10);
    expect(embeddingCost('text-embedding-3-large', 500_000)).toBeCloseTo(0.065, 10);
    expect(embeddingCost('text-embedding-ada-002', 2_000_000)).toBeCloseTo(0.2, 10);
    expect(embeddingCost('local', 1_000)).toBeUndefined();
    expect(embeddingPrices.source).toMatch(/^https:\/\//);
    expect(embeddingPrices.asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });
});

describe('meteringHooks', () => {
  it('meter tokens, vectors written and queries per tenant, and price the tokens', async () => {
    const sink = memoryUsageSink();
    const metering = meteringHooks({ sink, embeddingModel: 'text-embedding-3-small' });
    const embedder = customEmbedder({ dimension: 2, embed: async (texts) => ({ embeddings: texts.map(() => [1, 0]), usage: { tokens: texts.length * 1000 } }) });
    const store = await createTenantVectorStore({ backend: memoryBackend(), strategy: metadataFilter(), dimension: 2, embedder, hooks: [metering] });
    await store.forTenant('acme').upsert([{ id: 'a', text: 'x' }, { id: 'b', text: 'y' }, { id: 'c', vector: [0, 1] }]);
    await store.forTenant('acme').query({ text: 'q' });
    await store.forTenant('globex').query({ vector: [1, 0] });
    await store.forTenant('globex').count();
    // Refused before I/O: nothing used, nothing metered.
    await expect(store.forTenant('globex').query({ vector: [1, 0], filter: { tenant: 'acme' } as never })).rejects.toThrow();
    await metering.recordStorage('acme', 3);
    const [acme, globex] = sink.monthly();
    expect(acme).toMatchObject({ tenant: 'acme', embeddingTokens: 3000, vectorsWritten: 3, queries: 1, peakStoredRecords: 3, unpricedTokens: 0 });
    expect(acme!.embeddingCostUsd).toBeCloseTo(0.00006, 12);
    expect(globex).toMatchObject({ tenant: 'globex', embeddingTokens: 0, vectorsWritten: 0, queries: 1, embeddingCostUsd: 0 });
    expect(sink.records.filter((record) => record.tenant === 'globex')).toHaveLength(2);
  });

  it('roll usage up per tenant and UTC month, keeping unpriced tokens apart', () => {
    const record = (tenant: string, at: string, tokens: number, cost: number | undefined, stored?: number): UsageRecord => ({
      tenant, at: new Date(at), month: at.slice(0, 7), operation: stored === undefined ? 'upsert' : 'storage', embeddingTokens: tokens, vectorsWritten: 1, queries: 0,
      embeddingCostUsd: cost, ...(stored === undefined ? {} : { storedRecords: stored }),
    });
    const months = rollUpMonthly([
      record('acme', '2026-10-31T23:59:59Z', 100, 0.5),
      record('acme', '2026-11-01T00:00:00Z', 200, 1),
      record('acme', '2026-11-15T00:00:00Z', 50, undefined),
      record('acme', '2026-11-20T00:00:00Z', 0, 0, 40),
      record('acme', '2026-11-21T00:00:00Z', 0, 0, 30),
      record('beta', '2026-11-02T00:00:00Z', 10, 0.25),
    ]);
    expect(months.map((month) => [month.month, month.tenant, month.embeddingTokens, month.embeddingCostUsd, month.unpricedTokens, month.peakStoredRecords, month.vectorsWritten])).toEqual([
      ['2026-10', 'acme', 100, 0.5, 0, undefined, 1],
      ['2026-11', 'acme', 250, 1, 50, 40, 4],
      ['2026-11', 'beta', 10, 0.25, 0, undefined, 1],
    ]);
  });
});
