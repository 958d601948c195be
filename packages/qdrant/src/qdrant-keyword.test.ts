import { QdrantClient } from '@qdrant/js-client-rest';
import { TenantVecError } from '@tenantvec/core';
import { parseFilter, queryTerms, scoreBm25, termIndex, textTerms, type CollectionSpec, type ScopeConstraint, type StoredRecord } from '@tenantvec/core/backend';
import { startQdrantEmulator, type QdrantEmulator } from '@tenantvec/emulators/qdrant';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { KEYWORD_AVERAGE_LENGTH, keywordVectorName } from './keyword-vectors.js';
import { pointIdOf } from './point-ids.js';
import { qdrant, type QdrantBackend } from './qdrant-backend.js';
import { toPoint } from './record-payload.js';

/** Keyword search through the adapter: the schema it creates, its analyser, its scores, walls, old collections. */
let emulator: QdrantEmulator;
let target: QdrantBackend;
let counter = 0;

function spec(extra: Partial<CollectionSpec> = {}): CollectionSpec {
  counter += 1;
  return { name: `words-${counter}`, dimension: 2, metric: 'dot', tenantField: false, partitioned: false, ...extra };
}

const record = (id: string, text: string | undefined, extra: Partial<StoredRecord> = {}): StoredRecord => ({
  id, recordId: id, vector: [1, 0], metadata: {}, ...(text === undefined ? {} : { text }), ...extra,
});

function keyword(params: { backend?: QdrantBackend; collection: string; text: string; scope?: ScopeConstraint; topK?: number }) {
  return (params.backend ?? target).rawKeywordQuery({
    location: { collection: params.collection }, scope: params.scope ?? {}, text: params.text, terms: queryTerms(params.text), topK: params.topK ?? 10,
  });
}

const formula = { averageLength: KEYWORD_AVERAGE_LENGTH };
const expectedScores = (corpus: StoredRecord[], text: string) =>
  scoreBm25({ corpus, candidates: corpus, terms: queryTerms(text), formula }).sort((left, right) => right.score - left.score);
const queries = () => emulator.requests.filter((request) => request.path.endsWith('/points/query'));
const storedPoint = (collection: string, id: string) => emulator.collections.get(collection)!.shards.get('')!.get(pointIdOf(id))!;

beforeAll(async () => {
  emulator = await startQdrantEmulator();
  target = qdrant({ url: emulator.url, checkCompatibility: false, retry: { baseDelayMs: 1, maxDelayMs: 5 } });
});
afterAll(() => emulator.stop());
beforeEach(() => {
  emulator.requests.length = 0;
});

describe('qdrant keyword search', () => {
  it('creates collections with the tv_terms sparse vector and the idf modifier', async () => {
    const collection = spec();
    await target.ensureCollection({ collection });
    const info = await target.client.getCollection(collection.name);
    expect(info.config.params.sparse_vectors).toEqual({ [keywordVectorName]: { modifier: 'idf' } });
    expect(info.config.params.vectors).toEqual({ size: 2, distance: 'Dot' });
    expect(target.capabilities.keyword).toEqual({ statistics: 'scope', ranking: expect.stringMatching(/idf.*256 terms/), formula: { averageLength: 256 } });
  });

  it('weights terms as core\'s analyser splits them (NFKC, JavaScript lowercasing), and leaves text-less records out', async () => {
    const collection = spec();
    await target.ensureCollection({ collection });
    await target.rawUpsert({ location: { collection: collection.name }, records: [
      record('ligature', 'the ﬁle'), record('greek', 'ΟΔΟΣ'), record('plain', 'an index'), record('silent', '!!! ...'), record('bare', undefined),
    ] });
    expect([...storedPoint(collection.name, 'ligature').sparse.get(keywordVectorName)!.indices])
      .toEqual(textTerms('the ﬁle').map(termIndex).sort((left, right) => left - right));
    expect(storedPoint(collection.name, 'silent').sparse.size).toBe(0);
    expect(storedPoint(collection.name, 'bare').sparse.size).toBe(0);
    expect((await keyword({ collection: collection.name, text: 'FILE' })).map((hit) => hit.id)).toEqual(['ligature']);
    expect((await keyword({ collection: collection.name, text: 'Οδος' })).map((hit) => hit.id)).toEqual(['greek']);
    expect((await keyword({ collection: collection.name, text: 'the' }))[0]).toMatchObject({ id: 'ligature', text: 'the ﬁle', metadata: {} });
    // Only the three records with terms are documents: N = 3 in the IDF, where scoreBm25 over all five would say 5.
    const [hit] = await keyword({ collection: collection.name, text: 'index' });
    const withTerms = [record('ligature', 'the ﬁle'), record('greek', 'ΟΔΟΣ'), record('plain', 'an index')];
    expect(hit!.score).toBeCloseTo(expectedScores(withTerms, 'index')[0]!.score, 5);
  });

  it('scores as BM25 with the declared formula and IDF over the collection', async () => {
    const collection = spec();
    await target.ensureCollection({ collection });
    const texts = ['overdue invoice overdue', 'invoice paid', 'a long text about something else entirely', 'overdue', 'Invoice, invoice!'];
    const records = texts.map((text, n) => record(`d${n}`, text));
    await target.rawUpsert({ location: { collection: collection.name }, records });
    const hits = await keyword({ collection: collection.name, text: 'overdue invoice' });
    const expected = expectedScores(records, 'overdue invoice');
    expect(hits.map((hit) => hit.id)).toEqual(expected.map(({ document }) => document.id));
    hits.forEach((hit, index) => expect(hit.score).toBeCloseTo(expected[index]!.score, 5));
    expect((await keyword({ collection: collection.name, text: 'overdue invoice', topK: 1 })).map((hit) => hit.id)).toEqual([expected[0]!.document.id]);
    expect(queries().at(-1)!.body).toMatchObject({ using: keywordVectorName, limit: 1, with_vector: false });
    expect(queries().at(-1)!.body).not.toHaveProperty('params');
  });

  it('counts IDF over the scope\'s walls only, carries walls and filter like a dense query, and returns only the dense vector', async () => {
    const collection = spec({ tenantField: true });
    await target.ensureCollection({ collection });
    const mine = ['invoice overdue', 'invoice paid', 'welcome aboard'].map((text, n) => record(`a:${n}`, text, { tenant: 'a', metadata: { n } }));
    const theirs = Array.from({ length: 6 }, (_, n) => record(`b:${n}`, `invoice ${n}`, { tenant: 'b' }));
    await target.rawUpsert({ location: { collection: collection.name }, records: [...mine, ...theirs] });
    const walls = { tenant: 'a' };
    const hits = await target.rawKeywordQuery({ location: { collection: collection.name }, scope: walls, text: 'invoice', terms: ['invoice'], topK: 10, filter: parseFilter({ n: { $gte: 1 } }), includeVectors: true });
    // IDF over tenant a's three records, though tenant b holds six more with the term; the filter narrows hits, not statistics.
    expect(hits.map((hit) => [hit.id, hit.vector])).toEqual([['a:1', [1, 0]]]);
    expect(hits[0]!.score).toBeCloseTo(scoreBm25({ corpus: mine, candidates: [mine[1]!], terms: ['invoice'], formula })[0]!.score, 5);
    const body = queries().at(-1)!.body as Record<string, unknown>;
    expect(body).toMatchObject({ params: { idf: { corpus: { must: [{ key: 'tenant', match: { value: 'a' } }] } } }, with_vector: [''] });
    expect(JSON.stringify(body.filter)).toContain('"tenant"');
    expect(JSON.stringify(body.filter)).toContain('"metadata.n"');
    expect(JSON.stringify((body.params as { idf: unknown }).idf)).not.toContain('metadata.n');
  });

  it('refuses a collection made before keyword search, before any query, and keeps serving it otherwise', async () => {
    const collection = spec();
    // The body earlier versions created: the dense vector only.
    await target.client.createCollection(collection.name, { vectors: { size: 2, distance: 'Dot' }, metadata: { tenantvec_format: 1 } });
    await target.ensureCollection({ collection });
    await target.rawUpsert({ location: { collection: collection.name }, records: [record('a', 'overdue invoice')] });
    const upsert = emulator.requests.find((request) => request.method === 'PUT' && request.path.endsWith('/points'))!;
    expect((upsert.body as { points: { vector: unknown }[] }).points[0]!.vector).toEqual([1, 0]);
    emulator.requests.length = 0;
    const failure = await keyword({ collection: collection.name, text: 'invoice' }).catch((error: unknown) => error);
    expect(TenantVecError.isInstance(failure) && failure.code).toBe('UNSUPPORTED');
    expect((failure as Error).message).toMatch(/created before .*keyword search.*tv_terms.*tenantvec migrate.*drop the collection/s);
    expect(queries()).toEqual([]);
    expect((await target.rawGet({ location: { collection: collection.name }, scope: {}, ids: ['a'] })).map((found) => found.text)).toEqual(['overdue invoice']);
    expect((await target.rawQuery({ location: { collection: collection.name }, scope: {}, vector: [1, 0], topK: 1 })).map((hit) => hit.id)).toEqual(['a']);
  });

  it('reads the collection again when its cached facts predate keyword search', async () => {
    const collection = spec();
    await target.client.createCollection(collection.name, { vectors: { size: 2, distance: 'Dot' } });
    await target.ensureCollection({ collection });
    await expect(keyword({ collection: collection.name, text: 'x' })).rejects.toThrow(/created before/);
    // Another process drops it and makes it again with this version.
    const other = qdrant({ url: emulator.url, checkCompatibility: false });
    await other.dropCollection({ collection: collection.name });
    await other.ensureCollection({ collection });
    await other.rawUpsert({ location: { collection: collection.name }, records: [record('a', 'fresh start')] });
    expect((await keyword({ collection: collection.name, text: 'fresh' })).map((hit) => hit.id)).toEqual(['a']);
  });

  it('refuses walls on a server without the IDF corpus (before 1.19), and runs without walls there', async () => {
    const client = new QdrantClient({ url: emulator.url, checkCompatibility: false });
    client.versionInfo = async () => ({ title: 'qdrant - vector search engine', version: '1.18.2' });
    const old = qdrant({ client, retry: { baseDelayMs: 1 } });
    const collection = spec({ tenantField: true });
    await old.ensureCollection({ collection });
    await old.rawUpsert({ location: { collection: collection.name }, records: [record('a:1', 'invoice', { tenant: 'a' })] });
    emulator.requests.length = 0;
    const failure = await keyword({ backend: old, collection: collection.name, text: 'invoice', scope: { tenant: 'a' } }).catch((error: unknown) => error);
    expect(TenantVecError.isInstance(failure) && failure.code).toBe('UNSUPPORTED');
    expect((failure as Error).message).toMatch(/1\.18\.2.*Qdrant 1\.19\+/);
    expect(queries()).toEqual([]);
    expect((await keyword({ backend: old, collection: collection.name, text: 'invoice' })).map((hit) => hit.id)).toEqual(['a:1']);
  });

  it('counts the term weights in the request size checked before writing', async () => {
    const text = Array.from({ length: 200 }, (_, n) => `term${n}`).join(' ');
    const withTerms = (keywordTerms: boolean) => Buffer.byteLength(JSON.stringify([toPoint({ record: record('big', text), pointId: pointIdOf('big'), metric: 'dot', writtenAt: 0, keywordTerms })]));
    const limit = Math.floor((withTerms(false) + withTerms(true)) / 2);
    const small = qdrant({ url: emulator.url, checkCompatibility: false, maxRequestBytes: limit });
    const collection = spec();
    await small.ensureCollection({ collection });
    emulator.requests.length = 0;
    await expect(small.rawUpsert({ location: { collection: collection.name }, records: [record('big', text)] })).rejects.toThrow(/over Qdrant's request limit/);
    expect(emulator.requests.filter((request) => request.path.endsWith('/points'))).toEqual([]);
  });
});
