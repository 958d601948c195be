import { createTenantVectorStore, memoryBackend, type TenantVectorStore } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openaiEmbedder } from './openai-embedder.js';
import { standInTokens, startEmbeddingsStandIn, type EmbeddingsStandIn } from './test-support/embeddings-api-stand-in.js';

let standIn: EmbeddingsStandIn;
beforeAll(async () => {
  standIn = await startEmbeddingsStandIn({ apiKey: 'test' });
});
afterAll(async () => standIn.close());
beforeEach(() => standIn.reset());

const acmeTexts = ['acme revenue grew in the third quarter', 'acme hires two engineers', 'acme moves office to Leeds'];
const globexTexts = ['globex revenue fell in the third quarter', 'globex opens a lab'];

async function fillAndCheck(store: TenantVectorStore): Promise<void> {
  await store.forTenant('acme').upsert(acmeTexts.map((text, index) => ({ id: `doc-${index}`, text })));
  await store.forTenant('globex').upsert(globexTexts.map((text, index) => ({ id: `doc-${index}`, text })));

  // The stand-in's vectors are random per text, so a query for a stored text finds exactly it first.
  const acmeMatches = await store.forTenant('acme').query({ text: acmeTexts[1]!, topK: 10 });
  expect(acmeMatches.map((match) => match.text)).toEqual(expect.arrayContaining(acmeTexts));
  expect(acmeMatches).toHaveLength(acmeTexts.length);
  expect(acmeMatches[0]).toMatchObject({ id: 'doc-1', text: acmeTexts[1] });
  expect(acmeMatches[0]!.score).toBeCloseTo(1, 5);

  const globexMatches = await store.forTenant('globex').query({ text: acmeTexts[1]!, topK: 10 });
  expect(globexMatches.map((match) => match.text).sort()).toEqual([...globexTexts].sort());
}

describe('openaiEmbedder in a tenant vector store', () => {
  it('embeds text-only records and queries; each tenant sees only its own, and is metered', async () => {
    const perTenant = new Map<string, number>();
    let reportedByEmbedder = 0;
    const store = await createTenantVectorStore({
      backend: memoryBackend(),
      strategy: metadataFilter(),
      dimension: 8,
      embedder: openaiEmbedder({
        model: 'text-embedding-3-small',
        dimensions: 8,
        baseURL: standIn.baseURL,
        apiKey: 'test',
        onUsage: ({ tokens }) => (reportedByEmbedder += tokens),
      }),
      // Core's hooks see the embedder's usage.tokens per operation, with the tenant it served.
      hooks: [{ afterOperation: ({ tenant, usage }) => { if (tenant !== undefined && usage) perTenant.set(tenant, (perTenant.get(tenant) ?? 0) + usage.embeddingTokens); } }],
    });
    await fillAndCheck(store);
    // Two upserts and two queries, all for 8 dimensions.
    expect(standIn.requests).toHaveLength(4);
    expect(standIn.requests.every((request) => request.body['dimensions'] === 8)).toBe(true);
    const billed = (texts: string[]) => texts.reduce((sum, text) => sum + standInTokens(text), 0);
    expect(Object.fromEntries(perTenant)).toEqual({
      acme: billed([...acmeTexts, acmeTexts[1]!]),
      globex: billed([...globexTexts, acmeTexts[1]!]),
    });
    expect(reportedByEmbedder).toBe(perTenant.get('acme')! + perTenant.get('globex')!);
    await store.close();
  });

  it('is loaded by name from a plain config, with the key from the environment', async () => {
    const store = await createTenantVectorStore(
      {
        backend: { type: 'memory' },
        strategy: { type: 'metadata-filter' },
        dimension: 8,
        embedder: { type: 'openai', model: 'text-embedding-3-small', dimensions: 8, baseURL: standIn.baseURL, apiKey: '${TEST_OPENAI_KEY}' },
      },
      { environment: { TEST_OPENAI_KEY: 'test' } },
    );
    await fillAndCheck(store);
    expect(standIn.requests[0]!.authorization).toBe('Bearer test');
    await store.close();
  });
});
