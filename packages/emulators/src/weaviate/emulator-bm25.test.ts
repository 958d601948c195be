import { Status } from 'nice-grpc';
import weaviate, { type WeaviateClient } from 'weaviate-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectToEmulator, type EmulatorConnections } from './emulator-connections.js';
import { tokenize } from './text-tokenizer.js';
import type { WeaviateEmulator } from './weaviate-emulator.js';

/**
 * BM25 as a Weaviate shard computes it, checked against numbers worked out by hand, and the
 * schema and search requests Weaviate refuses. Requests the client will not build go through a
 * raw nice-grpc client made from the client's own definitions.
 */
let emulator: WeaviateEmulator;
let client: WeaviateClient;
let connections: EmulatorConnections;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
let raw: any;

const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const exact = { bm25k1: 1.2, bm25b: 0.75, stopwordsPreset: 'none' } as const;
const scores = (result: { objects: { uuid: string; metadata?: { score?: number } }[] }) =>
  Object.fromEntries(result.objects.map((object) => [object.uuid, object.metadata?.score]));

async function createClass(body: unknown): Promise<Response> {
  return fetch(`http://${emulator.httpHost}:${emulator.httpPort}/v1/schema`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

beforeAll(async () => {
  connections = await connectToEmulator();
  ({ emulator, client, raw } = connections);
  await client.collections.create({
    name: 'Fruit',
    properties: [{ name: 'body', dataType: 'text', tokenization: 'word' }, { name: 'kind', dataType: 'text', tokenization: 'field' }, { name: 'plain', dataType: 'text', indexSearchable: false }],
    invertedIndex: weaviate.configure.invertedIndex(exact),
    vectorizers: weaviate.configure.vectors.selfProvided(),
  });
  await client.collections.use('Fruit').data.insertMany([
    { id: id(1), properties: { body: 'Apple banana, APPLE!', kind: 'a' } },
    { id: id(2), properties: { body: 'banana cherry', kind: 'b' } },
    { id: id(3), properties: { body: 'cherry date elderberry fig', kind: 'c' } },
  ]);
  await client.collections.create({
    name: 'Shop',
    multiTenancy: weaviate.configure.multiTenancy({ enabled: true }),
    properties: [{ name: 'body', dataType: 'text', tokenization: 'word' }],
    invertedIndex: weaviate.configure.invertedIndex(exact),
    vectorizers: weaviate.configure.vectors.selfProvided(),
  });
  await client.collections.use('Shop').tenants.create([{ name: 'acme' }, { name: 'other' }]);
});
afterAll(async () => {
  await connections.close();
});

describe('weaviate emulator, BM25', () => {
  it('tokenizes as Weaviate\'s word tokenizer: letters and numbers, lowercased rune by rune, nothing normalised', () => {
    expect(tokenize('Apple banana, APPLE! 4711-x', 'word')).toEqual(['apple', 'banana', 'apple', '4711', 'x']);
    // Go's strings.ToLower has no final-sigma rule and maps İ to a plain i; no NFKC: the ligature stays.
    expect(tokenize('ΟΔΟΣ İstanbul ﬁle', 'word')).toEqual(['οδοσ', 'istanbul', 'ﬁle']);
  });

  it('scores one term as worked out by hand: Lucene IDF, Weaviate\'s tf without the (k1 + 1) factor', async () => {
    // N = 3, lengths 3, 2, 4 (average 3); "apple" is in one document, twice, in a text of average length:
    // idf = ln(1 + (3 - 1 + 0.5) / (1 + 0.5)) = ln(8/3) = 0.980829; tf = 2 / (2 + 1.2) = 0.625; score = 0.613018.
    const result = await client.collections.use('Fruit').query.bm25('apple', { queryProperties: ['body'], returnMetadata: ['score'] });
    expect(result.objects.map((object) => object.uuid)).toEqual([id(1)]);
    expect(result.objects[0]!.metadata!.score).toBeCloseTo(0.613018, 5);
  });

  it('sums the terms, normalises by length, and takes N and n from the whole shard whatever the filter', async () => {
    // "banana" and "cherry" each in 2 of 3: idf = ln(1 + 1.5 / 2.5) = ln(1.6) = 0.470004.
    // d2 (length 2): norm = 0.25 + 0.75 · 2/3 = 0.75, tf = 1 / (1 + 0.9) = 0.526316 per term → 0.494741.
    // d1 (length 3, banana once): tf = 1 / 2.2 = 0.454545 → 0.213638. d3 (length 4, cherry once): norm = 1.25, tf = 1 / 2.5 → 0.188001.
    const fruit = client.collections.use('Fruit');
    const both = await fruit.query.bm25('banana cherry', { queryProperties: ['body'], returnMetadata: ['score'] });
    expect(both.objects.map((object) => object.uuid)).toEqual([id(2), id(1), id(3)]);
    const byId = scores(both);
    expect(byId[id(2)]).toBeCloseTo(0.494741, 5);
    expect(byId[id(1)]).toBeCloseTo(0.213638, 5);
    expect(byId[id(3)]).toBeCloseTo(0.188001, 5);
    const filtered = await fruit.query.bm25('banana cherry', { queryProperties: ['body'], returnMetadata: ['score'], filters: weaviate.filter.byProperty('kind').equal('b') });
    expect(scores(filtered)).toEqual({ [id(2)]: byId[id(2)] });
    const all = await fruit.query.bm25('banana cherry', { queryProperties: ['body'], returnMetadata: ['score'], operator: { operator: 'And' } });
    expect(all.objects.map((object) => object.uuid)).toEqual([id(2)]);
  });

  it('counts objects without the property in N but not in the average length', async () => {
    const fruit = client.collections.use('Fruit');
    await fruit.data.insertMany([{ id: id(4), properties: { kind: 'd' } }]);
    // N = 4, average still 3: idf = ln(1 + 3.5 / 1.5) = ln(10/3) = 1.203973; score = 0.625 · 1.203973 = 0.752483.
    const result = await fruit.query.bm25('apple', { queryProperties: ['body'], returnMetadata: ['score'] });
    expect(result.objects[0]!.metadata!.score).toBeCloseTo(0.752483, 5);
    await fruit.data.deleteMany(weaviate.filter.byProperty('kind').equal('d'));
  });

  it('keeps statistics per tenant shard: another tenant\'s documents never move a tenant\'s scores', async () => {
    const acme = client.collections.use('Shop').withTenant('acme');
    const other = client.collections.use('Shop').withTenant('other');
    await acme.data.insertMany([{ id: id(1), properties: { body: 'invoice overdue' } }, { id: id(2), properties: { body: 'welcome aboard' } }]);
    // Alone in its shard: N = 2, n = 1, average 2, length 2 → ln(1 + 1.5 / 1.5) / 2.2 = ln 2 / 2.2 = 0.315067.
    const before = await acme.query.bm25('invoice', { queryProperties: ['body'], returnMetadata: ['score'] });
    expect(before.objects[0]!.metadata!.score).toBeCloseTo(0.315067, 5);
    await other.data.insertMany(Array.from({ length: 20 }, (_, n) => ({ id: id(100 + n), properties: { body: `invoice invoice invoice number ${n}` } })));
    expect(scores(await acme.query.bm25('invoice', { queryProperties: ['body'], returnMetadata: ['score'] }))).toEqual(scores(before));
    const theirs = await other.query.bm25('invoice', { queryProperties: ['body'], returnMetadata: ['score'] });
    expect(theirs.objects).toHaveLength(10);
    expect(theirs.objects[0]!.metadata!.score).not.toBeCloseTo(0.315067, 3);
  });

  it('drops the class\'s stopwords from word queries but not from documents', async () => {
    await client.collections.create({ name: 'English', properties: [{ name: 'body', dataType: 'text' }], vectorizers: weaviate.configure.vectors.selfProvided() });
    const english = client.collections.use('English');
    await english.data.insertMany([{ id: id(1), properties: { body: 'the end' } }, { id: id(2), properties: { body: 'end' } }]);
    expect((await english.query.bm25('the', { queryProperties: ['body'] })).objects).toEqual([]);
    // "end" is in both, so the shorter text ranks first: the stopword still counts in d1's length.
    expect((await english.query.bm25('the end', { queryProperties: ['body'] })).objects.map((object) => object.uuid)).toEqual([id(2), id(1)]);
    const config = await english.config.get();
    expect(config.invertedIndex).toMatchObject({ bm25: { k1: 1.2, b: 0.75 }, stopwords: { preset: 'en' } });
  });

  it('refuses a bm25 search without the tenant a multi-tenant class needs, or on a property without a searchable index', async () => {
    await expect(client.collections.use('Shop').query.bm25('invoice', { queryProperties: ['body'] })).rejects.toThrow(/multi-tenancy enabled, but request was without tenant/);
    const fruit = client.collections.use('Fruit');
    await expect(fruit.query.bm25('x', { queryProperties: ['plain'] })).rejects.toThrow(/Searching by property 'plain' requires inverted index. Is `indexSearchable` option/);
    await expect(fruit.query.bm25('x', { queryProperties: ['missing'] })).rejects.toThrow(/Searching by property 'missing' requires inverted index/);
    // A Go error with no gRPC status travels as UNKNOWN.
    const unsearchable = await raw.search({ collection: 'Fruit', bm25Search: { query: 'x', properties: ['plain'] }, uses127Api: true }).catch((error: unknown) => error);
    expect(unsearchable).toMatchObject({ code: Status.UNKNOWN });
    const sorted = await raw.search({ collection: 'Fruit', bm25Search: { query: 'x', properties: ['body'] }, sortBy: [{ ascending: true, path: ['kind'] }], uses127Api: true }).catch((error: unknown) => error);
    expect(sorted).toMatchObject({ code: Status.UNKNOWN, details: expect.stringMatching(/sorting cannot be combined with search/) });
  });

  it('refuses class schemas Weaviate refuses: bad BM25 parameters, unknown presets and keys, searchable non-text', async () => {
    const base = { properties: [{ name: 'body', dataType: ['text'] }] };
    const refused: [string, unknown][] = [
      ['BadK1', { ...base, invertedIndexConfig: { bm25: { k1: -1, b: 0.75 } } }],
      ['BadB', { ...base, invertedIndexConfig: { bm25: { k1: 1.2, b: 1.5 } } }],
      ['BadPreset', { ...base, invertedIndexConfig: { stopwords: { preset: 'fr' } } }],
      ['BadKey', { ...base, invertedIndexConfig: { bm25: { k1: 1.2, b: 0.75, k3: 1 } } }],
      ['BadClash', { ...base, invertedIndexConfig: { stopwords: { additions: ['x'], removals: ['x'] } } }],
      ['BadType', { ...base, invertedIndexConfig: { bm25: { k1: '1.2', b: 0.75 } } }],
      ['BadSearchable', { properties: [{ name: 'count', dataType: ['int'], indexSearchable: true }] }],
    ];
    for (const [name, body] of refused) {
      const response = await createClass({ class: name, ...(body as object) });
      expect(response.status, name).toBe(422);
    }
    expect(await (await createClass({ class: 'BadPreset', ...base, invertedIndexConfig: { stopwords: { preset: 'fr' } } })).text()).toMatch(/stopwordPreset 'fr' does not exist/);
    // Go decodes a missing b as 0, not as the default.
    expect((await createClass({ class: 'HalfBm25', ...base, invertedIndexConfig: { bm25: { k1: 1.5 } } })).status).toBe(200);
    expect((await client.collections.use('HalfBm25').config.get()).invertedIndex.bm25).toEqual({ k1: 1.5, b: 0 });
  });
});
