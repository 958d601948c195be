import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Pinecone } from '@pinecone-database/pinecone';
import { createTenantVectorStore, TenantVecError, type VectorBackend } from '@tenantvec/core';
import { queryTerms, scoreBm25, termCounts, termIndex, termWeight, type CollectionSpec, type StoredRecord } from '@tenantvec/core/backend';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { namespacePerTenant } from '@tenantvec/namespace-per-tenant';
import { startPineconeEmulator, type PineconeEmulator } from '@tenantvec/emulators/pinecone';
import { pinecone, type PineconeBackend } from './pinecone-backend.js';
import { pineconeDecision } from './pinecone-plans.js';
import type { PineconeBackendSettings } from './pinecone-settings.js';
import { DEFAULT_KEYWORD_AVERAGE_LENGTH } from './sparse-keywords.js';

/** Keyword search through Pinecone sparse values: what goes on the wire, what comes back, what is refused. */
let emulator: PineconeEmulator;
let counter = 0;

interface Exchange {
  route: string;
  body: Record<string, unknown>;
  answer: Record<string, unknown>;
}
const exchanges: Exchange[] = [];
const sentTo = (route: string) => exchanges.filter((exchange) => exchange.route === route);

/** The official client over a fetch that keeps every JSON request body and its answer. */
function recordingClient(): Pinecone {
  const recording: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const response = await fetch(input, init);
    if (typeof init?.body === 'string' && init.body !== '') {
      const route = `${init.method ?? 'GET'} ${new URL(url).pathname.replace(/^\/data\/[^/]+/, '')}`;
      exchanges.push({ route, body: JSON.parse(init.body), answer: (await response.clone().json()) as Record<string, unknown> });
    }
    return response;
  };
  return new Pinecone({ apiKey: emulator.apiKey, controllerHostUrl: emulator.controllerHostUrl, fetchApi: recording });
}

function backend(settings: PineconeBackendSettings = {}): PineconeBackend {
  return pinecone({ client: recordingClient(), retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 }, ...settings });
}

/** A fresh shared collection of dimension 2. */
async function collection(handle: VectorBackend, metric: CollectionSpec['metric'] = 'dot') {
  counter += 1;
  const name = `words-${process.pid}-${counter}`;
  await handle.ensureCollection({ collection: { name, dimension: 2, metric, tenantField: true, partitioned: false } });
  return { collection: name };
}

const record = (id: string, text?: string, vector = [1, 0]): StoredRecord => ({
  id: `acme:${id}`, recordId: id, vector, metadata: {}, tenant: 'acme', ...(text === undefined ? {} : { text }),
});

/** What core's analyser and BM25 weights say a text's sparse values are. */
function expectedSparse(text: string, averageLength: number) {
  const { counts, length } = termCounts(text);
  const weights = [...counts].map(([term, frequency]) => ({ index: termIndex(term), weight: termWeight({ frequency, length, averageLength }) }));
  weights.sort((left, right) => left.index - right.index);
  return { indices: weights.map(({ index }) => index), values: weights.map(({ weight }) => weight) };
}

const distinctWords = (count: number) => Array.from({ length: count }, (_, n) => `w${n.toString(36)}`).join(' ');

async function failure(operation: () => Promise<unknown>): Promise<TenantVecError> {
  const error = await operation().then(() => undefined, (caught: unknown) => caught);
  expect(TenantVecError.isInstance(error)).toBe(true);
  return error as TenantVecError;
}

beforeAll(async () => {
  emulator = await startPineconeEmulator();
});
afterAll(() => emulator.stop());

describe('pinecone keyword search', () => {
  it('declares per-record BM25 without IDF at a fixed average length, on dot indexes only, and tells the decision helper', () => {
    expect(backend().capabilities.keyword).toMatchObject({
      statistics: 'scope', formula: { averageLength: DEFAULT_KEYWORD_AVERAGE_LENGTH, inverseDocumentFrequency: false }, metrics: ['dot'],
    });
    expect(backend({ keywordAverageLength: 40 }).capabilities.keyword?.formula).toEqual({ averageLength: 40, inverseDocumentFrequency: false });
    for (const keywordAverageLength of [0, 2.5, -1]) {
      expect(() => backend({ keywordAverageLength })).toThrow(expect.objectContaining({ code: 'CONFIGURATION', message: expect.stringContaining('keywordAverageLength') }));
    }
    expect(pineconeDecision.profile({}).keyword?.statistics).toBe(backend().capabilities.keyword?.statistics);
  });

  it('writes each text\'s BM25 term weights as sparse values, and none for a record without terms', async () => {
    const handle = backend({ keywordAverageLength: 10 });
    const location = await collection(handle);
    exchanges.length = 0;
    const text = 'Invoice overdue: invoice 4711 is OVERDUE, pay the invoice';
    await handle.rawUpsert({ location, records: [record('text', text), record('bare'), record('punctuation', '?! …')] });
    const [upsert] = sentTo('POST /vectors/upsert');
    const vectors = upsert!.body.vectors as { id: string; values: number[]; sparseValues?: { indices: number[]; values: number[] } }[];
    const byId = new Map(vectors.map((vector) => [vector.id, vector]));
    const expected = expectedSparse(text, 10);
    expect(byId.get('acme:text')!.sparseValues!.indices).toEqual(expected.indices);
    byId.get('acme:text')!.sparseValues!.values.forEach((value, position) => expect(value).toBeCloseTo(expected.values[position]!, 12));
    expect(byId.get('acme:text')!.values).toEqual([1, 0]);
    // Pinecone is never sent an empty sparse vector: a record without terms carries none.
    expect('sparseValues' in byId.get('acme:bare')!).toBe(false);
    expect('sparseValues' in byId.get('acme:punctuation')!).toBe(false);
  });

  it('queries with the sparse terms and a dense vector of zeros, in the namespace and behind the walls of a dense query', async () => {
    const store = await createTenantVectorStore({ backend: backend(), strategy: metadataFilter(), dimension: 3, metric: 'dot', name: `kw${++counter}` });
    const acme = store.forTenant('acme');
    await acme.upsert([{ id: 'a', vector: [1, 0, 0], text: 'overdue invoice', metadata: { kind: 'pdf' } }]);
    await store.forTenant('beta').upsert([{ id: 'a', vector: [1, 0, 0], text: 'overdue invoice', metadata: { kind: 'pdf' } }]);
    exchanges.length = 0;
    const filter = { kind: { $eq: 'pdf' } };
    await acme.query({ vector: [0, 1, 0], topK: 4, filter });
    const keywordHits = await acme.query({ text: 'Invoice, overdue invoice!', mode: 'keyword', topK: 4, filter });
    expect(keywordHits.map((hit) => hit.id)).toEqual(['a']);
    const [dense, keyword] = sentTo('POST /query').map((exchange) => exchange.body);
    expect(keyword).toMatchObject({ vector: [0, 0, 0], topK: 4, includeMetadata: true });
    const indices = ['invoice', 'overdue'].map(termIndex).sort((left, right) => left - right);
    expect(keyword!.sparseVector).toEqual({ indices, values: [1, 1] });
    expect(keyword!.namespace).toBe(dense!.namespace);
    expect(keyword!.filter).toEqual(dense!.filter);
    expect(JSON.stringify(keyword!.filter)).toContain('"_tenant":{"$eq":"acme"}');
    await store.close();
  });

  it('scores each hit as BM25 with the declared formula over the tenant\'s records, best first', async () => {
    const handle = backend({ keywordAverageLength: 6 });
    const store = await createTenantVectorStore({ backend: handle, strategy: namespacePerTenant(), dimension: 2, metric: 'dot', name: `kw${++counter}` });
    const texts = ['invoice overdue payment', 'payment received', 'overdue overdue overdue notice', 'invoice number 4711 payment due in thirty days', 'welcome aboard'];
    const acme = store.forTenant('acme');
    await acme.upsert(texts.map((text, n) => ({ id: `d${n}`, text, vector: [1, n] })));
    const query = 'overdue invoice payment';
    const corpus = texts.map((text, n) => ({ id: `d${n}`, text }));
    const reference = scoreBm25({ corpus, candidates: corpus, terms: queryTerms(query), formula: handle.capabilities.keyword!.formula! })
      .sort((left, right) => right.score - left.score);
    expect(reference.length).toBe(4);
    const hits = await acme.query({ text: query, mode: 'keyword', topK: 10 });
    expect(hits.map((hit) => hit.id)).toEqual(reference.map(({ document }) => document.id));
    // Pinecone keeps float32 values: the scores agree to about seven digits.
    hits.forEach((hit, position) => expect(hit.score).toBeCloseTo(reference[position]!.score, 5));
    await store.close();
  });

  it('drops the matches Pinecone returns with score 0 (no query term), keeping every positive one within topK', async () => {
    const handle = backend();
    const location = await collection(handle);
    await handle.rawUpsert({ location, records: [record('match', 'quarterly revenue'), record('other', 'unrelated words'), record('silent'), record('also', 'revenue fell')] });
    exchanges.length = 0;
    const hits = await handle.rawKeywordQuery({ location, scope: { tenant: 'acme' }, text: 'revenue', terms: ['revenue'], topK: 4, includeVectors: true });
    const answered = sentTo('POST /query')[0]!.answer.matches as { id: string; score: number }[];
    expect(answered).toHaveLength(4);
    expect(answered.filter((match) => match.score === 0).map((match) => match.id).sort()).toEqual(['acme:other', 'acme:silent']);
    expect(hits.map((hit) => hit.recordId)).toEqual(['also', 'match']);
    expect(hits.every((hit) => hit.score > 0)).toBe(true);
    // Vectors asked for are the dense values; the sparse values stay inside the adapter.
    expect(hits[0]).toMatchObject({ vector: [1, 0], text: 'revenue fell' });
    expect(JSON.stringify(hits)).not.toContain('sparse');
    const [found] = await handle.rawGet({ location, scope: { tenant: 'acme' }, ids: ['acme:match'] });
    expect(found).toEqual(record('match', 'quarterly revenue'));
  });

  it('refuses, before any request, a text past 1,000 distinct terms, naming the record; 1,000 pass', async () => {
    const handle = backend();
    const location = await collection(handle);
    exchanges.length = 0;
    const error = await failure(() => handle.rawUpsert({ location, records: [record('fine', 'short text'), record('huge-one', distinctWords(1001))] }));
    expect(error).toMatchObject({ code: 'BACKEND', isRetryable: false, message: expect.stringContaining('"huge-one"') });
    expect(error.message).toContain('1001 distinct terms');
    expect(exchanges).toEqual([]);
    await handle.rawUpsert({ location, records: [record('full', distinctWords(1000))] });
    const [upsert] = sentTo('POST /vectors/upsert');
    expect((upsert!.body.vectors as { sparseValues: { indices: number[] } }[])[0]!.sparseValues.indices).toHaveLength(1000);
    expect((await handle.rawKeywordQuery({ location, scope: { tenant: 'acme' }, text: 'w0', terms: ['w0'], topK: 1 })).map((hit) => hit.recordId)).toEqual(['full']);
  });

  it('counts the sparse values in the request size, so every upsert stays under maxRequestBytes', async () => {
    const maxRequestBytes = 8000;
    const handle = backend({ maxRequestBytes });
    const location = await collection(handle);
    exchanges.length = 0;
    // Each text is small as metadata but has 200 sparse values, most of each vector's bytes.
    const records = Array.from({ length: 6 }, (_, n) => record(`r${n}`, `${distinctWords(200)} r${n}`));
    await handle.rawUpsert({ location, records });
    const upserts = sentTo('POST /vectors/upsert');
    expect(upserts.length).toBeGreaterThanOrEqual(3);
    for (const { body } of upserts) expect(Buffer.byteLength(JSON.stringify(body), 'utf8')).toBeLessThanOrEqual(maxRequestBytes);
    expect(await handle.rawCount({ location, scope: { tenant: 'acme' } })).toBe(6);
  });

  it('keeps the keywordAverageLength an index was written with in its tags, and refuses another before any write or query', async () => {
    const first = backend({ keywordAverageLength: 40 });
    const location = await collection(first);
    await first.rawUpsert({ location, records: [record('a', 'overdue invoice')] });
    const described = await recordingClient().describeIndex(location.collection);
    expect(described.tags).toMatchObject({ tenantvec_keyword_length: '40' });
    const other = backend({ keywordAverageLength: 41 });
    exchanges.length = 0;
    const write = await failure(() => other.rawUpsert({ location, records: [record('b', 'overdue')] }));
    expect(write).toMatchObject({ code: 'CONFIGURATION', message: expect.stringContaining('written with keywordAverageLength 40, and this backend is set to 41') });
    const query = await failure(() => other.rawKeywordQuery({ location, scope: { tenant: 'acme' }, text: 'overdue', terms: ['overdue'], topK: 5 }));
    expect(query.code).toBe('CONFIGURATION');
    expect(sentTo('POST /vectors/upsert')).toEqual([]);
    expect(sentTo('POST /query')).toEqual([]);
    // Vector search does not depend on the weights and goes on.
    expect((await other.rawQuery({ location, scope: { tenant: 'acme' }, vector: [1, 0], topK: 1 })).map((hit) => hit.id)).toEqual(['acme:a']);
    expect((await backend({ keywordAverageLength: 40 }).rawKeywordQuery({ location, scope: { tenant: 'acme' }, text: 'overdue', terms: ['overdue'], topK: 5 })).map((hit) => hit.id)).toEqual(['acme:a']);
  });

  it('is refused by core on a cosine store before any I/O, naming the dot metric; the backend refuses a cosine index too', async () => {
    const calls: string[] = [];
    const handle = backend();
    const recorded = new Proxy(handle, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== 'function' || typeof property !== 'string') return value;
        return (...args: unknown[]) => {
          calls.push(property);
          return value.apply(target, args);
        };
      },
    });
    const store = await createTenantVectorStore({ backend: recorded, strategy: metadataFilter(), dimension: 2, metric: 'cosine', name: `kw${++counter}` });
    const acme = store.forTenant('acme');
    await acme.upsert([{ id: 'a', vector: [1, 0], text: 'hello world' }]);
    calls.length = 0;
    exchanges.length = 0;
    for (const attempt of [{ text: 'hello', mode: 'keyword' }, { text: 'hello', mode: 'hybrid', vector: [1, 0] }] as const) {
      const error = await failure(() => acme.query(attempt));
      expect(error).toMatchObject({ code: 'UNSUPPORTED', message: expect.stringContaining("'dot'") });
      expect(error.message).toContain('normalised');
    }
    expect(calls).toEqual([]);
    expect(exchanges).toEqual([]);
    // A cosine index can never search sparse values: none are written, and a text past
    // Pinecone's 1,000 sparse values is no reason to refuse the record there.
    const longText = Array.from({ length: 1_200 }, (_, n) => `word${n}`).join(' ');
    await acme.upsert([{ id: 'b', vector: [0, 1], text: 'hello again' }, { id: 'long', vector: [1, 1], text: longText }]);
    expect((sentTo('POST /vectors/upsert')[0]!.body.vectors as { sparseValues?: unknown }[]).map((vector) => 'sparseValues' in vector)).toEqual([false, false]);
    await store.close();

    const cosine = await collection(handle, 'cosine');
    exchanges.length = 0;
    const error = await failure(() => handle.rawKeywordQuery({ location: cosine, scope: {}, text: 'hello', terms: ['hello'], topK: 1 }));
    expect(error.code).toBe('UNSUPPORTED');
    expect(sentTo('POST /query')).toEqual([]);
  });
});
