import { Document } from '@langchain/core/documents';
import { Embeddings } from '@langchain/core/embeddings';
import { createTenantVectorStore, memoryBackend, type TenantVectorStore } from '@tenantvec/core';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { beforeEach, describe, expect, it } from 'vitest';
import { langchainEmbedder } from './langchain-embedder.js';
import { TenantScopedVectorStore, tenantRetriever } from './tenant-scoped-vector-store.js';

const vocabulary = ['invoice', 'refund', 'password', 'reset', 'shipping', 'delay', 'secret', 'plan'];

/** Deterministic bag-of-words embeddings over a fixed vocabulary, with a constant to avoid zero vectors. */
class WordCountEmbeddings extends Embeddings {
  constructor() {
    super({});
  }
  async embedDocuments(texts: string[]): Promise<number[][]> {
    return texts.map((text) => this.vector(text));
  }
  async embedQuery(text: string): Promise<number[]> {
    return this.vector(text);
  }
  private vector(text: string): number[] {
    const words = text.toLowerCase().split(/\W+/);
    return [0.01, ...vocabulary.map((word) => words.filter((candidate) => candidate === word).length)];
  }
}

const embeddings = new WordCountEmbeddings();
let store: TenantVectorStore;

beforeEach(async () => {
  store = await createTenantVectorStore({ backend: memoryBackend(), strategy: metadataFilter(), dimension: vocabulary.length + 1 });
  // The same document ids in both tenants, on purpose: ids are per tenant.
  await TenantScopedVectorStore.fromDocuments([
    new Document({ id: 'd1', pageContent: 'acme invoice refund policy', metadata: { source: 'acme/billing.md', kind: 'billing' } }),
    new Document({ id: 'd2', pageContent: 'acme password reset steps', metadata: { source: 'acme/account.md', kind: 'account', loc: { lines: { from: 1, to: 4 } } } }),
  ], embeddings, { scope: store.forTenant('acme') });
  await TenantScopedVectorStore.fromDocuments([
    new Document({ id: 'd1', pageContent: 'globex secret plan: invoice refund for everyone', metadata: { source: 'globex/plan.md', kind: 'billing' } }),
    new Document({ id: 'd9', pageContent: 'globex shipping delay notice', metadata: { kind: 'shipping' } }),
  ], embeddings, { scope: store.forTenant('globex') });
});

describe('TenantScopedVectorStore through LangChain retrievers', () => {
  it('retrieves only the bound tenant\'s documents for the same question', async () => {
    const acme = tenantRetriever({ scope: store.forTenant('acme'), embeddings, k: 10 });
    const globex = new TenantScopedVectorStore(embeddings, { scope: store.forTenant('globex') }).asRetriever({ k: 10 });
    const acmeDocs = await acme.invoke('invoice refund secret plan');
    const globexDocs = await globex.invoke('invoice refund secret plan');
    expect(acmeDocs.map((document) => document.pageContent)).toEqual(['acme invoice refund policy', 'acme password reset steps']);
    expect(globexDocs[0]!.pageContent).toBe('globex secret plan: invoice refund for everyone');
    expect(globexDocs.every((document) => document.pageContent.startsWith('globex'))).toBe(true);
    expect(acmeDocs.some((document) => document.pageContent.includes('globex'))).toBe(false);
  });

  it('hands back ids, the loader source and flattened splitter metadata', async () => {
    const [top] = await tenantRetriever({ scope: store.forTenant('acme'), embeddings, k: 1 }).invoke('password reset');
    expect(top).toMatchObject({ id: 'd2', metadata: { source: 'acme/account.md', kind: 'account', loc_lines_from: 1, loc_lines_to: 4 } });
  });

  it('narrows by LangChain filters, including on source, but a filter can never reach another tenant', async () => {
    const acme = new TenantScopedVectorStore(embeddings, { scope: store.forTenant('acme') });
    expect((await acme.similaritySearch('invoice', 5, { kind: 'account' })).map((document) => document.id)).toEqual(['d2']);
    expect((await acme.similaritySearch('invoice', 5, { source: 'acme/billing.md' })).map((document) => document.id)).toEqual(['d1']);
    expect(await acme.similaritySearch('invoice', 5, { kind: 'shipping' })).toEqual([]);
    for (const widening of [{ tenant: 'globex' }, { $or: [{ kind: 'billing' }, { tenant: 'globex' }] }, { id: 'd9' }]) {
      await expect(acme.similaritySearch('invoice', 5, widening as never)).rejects.toMatchObject({ code: 'INVALID_FILTER' });
    }
    await expect(acme.asRetriever({ k: 5, filter: { tenant: 'globex' } as never }).invoke('secret plan')).rejects.toMatchObject({ code: 'INVALID_FILTER' });
  });

  it('deletes by id or filter within its tenant only', async () => {
    const acme = new TenantScopedVectorStore(embeddings, { scope: store.forTenant('acme') });
    await acme.delete({ ids: ['d1', 'd9'] });
    expect(await store.forTenant('acme').count()).toBe(1);
    expect(await store.forTenant('globex').get('d1')).not.toBeNull();
    expect(await store.forTenant('globex').get('d9')).not.toBeNull();
    await new TenantScopedVectorStore(embeddings, { scope: store.forTenant('globex') }).delete({ filter: { kind: 'shipping' } });
    expect(await store.forTenant('globex').count()).toBe(1);
    expect(await store.forTenant('acme').count()).toBe(1);
    await expect(acme.delete()).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(acme.delete({ ids: ['x'], filter: { kind: 'x' } })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('adds documents through the retriever and returns their ids', async () => {
    const retriever = tenantRetriever({ scope: store.forTenant('globex'), embeddings, k: 1 });
    const ids = await retriever.addDocuments([new Document({ pageContent: 'password reset for globex' })]);
    expect(ids).toEqual([expect.stringMatching(/^[0-9a-f-]{36}$/)]);
    expect((await retriever.invoke('password reset'))[0]!.id).toBe((ids as string[])[0]);
    expect(await store.forTenant('acme').get((ids as string[])[0]!)).toBeNull();
  });

  it('refuses metadata tenantvec cannot store, naming the item, and refuses a missing scope', async () => {
    const acme = new TenantScopedVectorStore(embeddings, { scope: store.forTenant('acme') });
    await expect(acme.addDocuments([new Document({ id: 'bad', pageContent: 'x', metadata: { tenant: 'globex' } })])).rejects.toMatchObject({ code: 'BATCH_REJECTED' });
    expect(await store.forTenant('globex').get('bad')).toBeNull();
    expect(() => new TenantScopedVectorStore(embeddings, {} as never)).toThrow();
  });

  it('ingests whole documents with the LangChain model as the store\'s embedder, and again for nothing', async () => {
    let embedded = 0;
    const counting = new WordCountEmbeddings();
    const embedDocuments = counting.embedDocuments.bind(counting);
    counting.embedDocuments = async (texts) => ((embedded += texts.length), embedDocuments(texts));
    const ingesting = await createTenantVectorStore({
      backend: memoryBackend(), strategy: metadataFilter(), dimension: vocabulary.length + 1,
      embedder: langchainEmbedder(counting, { dimension: vocabulary.length + 1 }),
    });
    const acme = new TenantScopedVectorStore(counting, { scope: ingesting.forTenant('acme') });
    const loaded = [
      new Document({ pageContent: 'invoice refund policy. '.repeat(40), metadata: { source: 'acme/billing.md' } }),
      new Document({ id: 'reset', pageContent: 'password reset steps', metadata: { kind: 'account' } }),
    ];
    const first = await acme.ingestDocuments(loaded, { splitter: { chunkTokens: 30, overlapTokens: 5 } });
    expect(first.map((result) => [result.documentId, result.status])).toEqual([['acme/billing.md', 'created'], ['reset', 'created']]);
    expect(first[0]!.chunks).toBeGreaterThan(3);
    expect(embedded).toBe(first[0]!.chunks + 1);
    const again = await acme.ingestDocuments(loaded, { splitter: { chunkTokens: 30, overlapTokens: 5 } });
    expect(again.map((result) => result.status)).toEqual(['unchanged', 'unchanged']);
    expect(embedded).toBe(first[0]!.chunks + 1);
    const [hit] = await acme.similaritySearch('password reset', 1);
    expect(hit!.metadata).toMatchObject({ kind: 'account', tenantvec_document: 'reset' });
    await expect(acme.ingestDocuments([new Document({ pageContent: 'no id' })])).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(await ingesting.forTenant('globex').count()).toBe(0);
    await ingesting.close();
  });
});
