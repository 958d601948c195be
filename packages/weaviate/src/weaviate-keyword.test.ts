import { TenantVecError } from '@tenantvec/core';
import { queryTerms, scoreBm25, type CollectionSpec, type StoredRecord } from '@tenantvec/core/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWeaviateEmulator, type WeaviateEmulator } from '@tenantvec/emulators/weaviate';
import weaviate from 'weaviate-client';
import { describe as label, systemPropertyConfigs } from './collection-schema.js';
import { weaviateDecision } from './backend-descriptor.js';
import { createWeaviateBackend, type WeaviateBackend } from './weaviate-backend.js';
import { systemProperties, toWeaviateCollection } from './weaviate-names.js';

/** Keyword search through the adapter: the schema it creates, its analyser, its scores, and old collections. */
let emulator: WeaviateEmulator;
let backend: WeaviateBackend;
let counter = 0;

function spec(): CollectionSpec {
  counter += 1;
  return { name: `words${counter}`, dimension: 2, metric: 'cosine', tenantField: false, partitioned: false };
}

const record = (id: string, text: string): StoredRecord => ({ id, recordId: id, vector: [1, 0], metadata: {}, text });

async function keyword(collection: string, text: string, topK = 10) {
  return backend.rawKeywordQuery({ location: { collection }, scope: {}, text, terms: queryTerms(text), topK });
}

beforeAll(async () => {
  emulator = await startWeaviateEmulator();
  backend = createWeaviateBackend({ httpHost: emulator.httpHost, httpPort: emulator.httpPort, grpcHost: emulator.grpcHost, grpcPort: emulator.grpcPort, retry: { baseDelayMs: 1 } });
});
afterAll(async () => {
  await backend.close();
  await emulator.stop();
});

describe('weaviate keyword search', () => {
  it('tells the decision helper the term statistics its capability declares', () => {
    const profile = weaviateDecision.profile({});
    expect(profile.keyword?.statistics).toBe(backend.capabilities.keyword?.statistics);
  });

  it('creates collections whose BM25 index is core\'s terms, k1 1.2, b 0.75, no stopwords', async () => {
    const collection = spec();
    await backend.ensureCollection({ collection });
    const config = await (await backend.client).collections.use(toWeaviateCollection(collection.name)).config.get();
    expect(config.invertedIndex).toMatchObject({ bm25: { k1: 1.2, b: 0.75 }, stopwords: { preset: 'none', additions: [] } });
    const byName = new Map(config.properties.map((property) => [property.name, property]));
    expect(byName.get(systemProperties.terms)).toMatchObject({ dataType: 'text', tokenization: 'word', indexSearchable: true, indexFilterable: false });
    expect(byName.get(systemProperties.text)).toMatchObject({ indexSearchable: false, indexFilterable: false });
  });

  it('matches terms as core\'s analyser splits them (NFKC, JavaScript lowercasing), stopwords included', async () => {
    const collection = spec();
    await backend.ensureCollection({ collection });
    await backend.rawUpsert({ location: { collection: collection.name }, records: [record('ligature', 'the ﬁle'), record('greek', 'ΟΔΟΣ'), record('plain', 'an index')] });
    // Weaviate's own tokenizer on the raw text would index "ﬁle" and "οδοσ", and miss both.
    expect((await keyword(collection.name, 'FILE')).map((hit) => hit.id)).toEqual(['ligature']);
    expect((await keyword(collection.name, 'Οδος')).map((hit) => hit.id)).toEqual(['greek']);
    expect((await keyword(collection.name, 'the')).map((hit) => hit.id)).toEqual(['ligature']);
    expect((await keyword(collection.name, 'the'))[0]).toMatchObject({ id: 'ligature', text: 'the ﬁle', metadata: {} });
  });

  it('scores as exact BM25 over the collection, divided by k1 + 1 as Weaviate does', async () => {
    const collection = spec();
    await backend.ensureCollection({ collection });
    const texts = ['overdue invoice overdue', 'invoice paid', 'a long text about something else entirely', 'overdue'];
    const records = texts.map((text, n) => record(`d${n}`, text));
    await backend.rawUpsert({ location: { collection: collection.name }, records });
    const hits = await keyword(collection.name, 'overdue invoice');
    const expected = scoreBm25({ corpus: records, candidates: records, terms: queryTerms('overdue invoice') }).sort((left, right) => right.score - left.score);
    expect(hits.map((hit) => hit.id)).toEqual(expected.map(({ document }) => document.id));
    hits.forEach((hit, index) => expect(hit.score).toBeCloseTo(expected[index]!.score / 2.2, 5));
    expect((await keyword(collection.name, 'overdue invoice', 1)).map((hit) => hit.id)).toEqual([expected[0]!.document.id]);
  });

  it('refuses keyword search on a collection made before it, saying what to do, and keeps serving the rest', async () => {
    const collection = spec();
    const client = await backend.client;
    // The schema earlier versions created: BM25 on the raw tv_text, no tv_terms, Weaviate's default stopwords.
    await client.collections.create({
      name: toWeaviateCollection(collection.name),
      description: label(collection),
      properties: systemPropertyConfigs
        .filter((property) => property.name !== systemProperties.terms)
        .map((property) => (property.name === systemProperties.text ? { ...property, tokenization: 'word' as const, indexSearchable: true } : property)),
      vectorizers: weaviate.configure.vectors.selfProvided(),
    });
    await backend.ensureCollection({ collection });
    await backend.rawUpsert({ location: { collection: collection.name }, records: [record('a', 'overdue invoice')] });
    const searchesBefore = emulator.calls.grpc;
    const failure = await keyword(collection.name, 'invoice').catch((error: unknown) => error);
    expect(TenantVecError.isInstance(failure) && failure.code).toBe('UNSUPPORTED');
    expect((failure as Error).message).toMatch(/created before .* keyword search.*tv_terms.*tenantvec migrate/s);
    expect(emulator.calls.grpc).toBe(searchesBefore);
    expect((await backend.rawGet({ location: { collection: collection.name }, scope: {}, ids: ['a'] })).map((found) => found.text)).toEqual(['overdue invoice']);
  });
});
