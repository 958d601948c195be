import { queryTerms, scoreBm25, type StoredRecord } from '@tenantvec/core/backend';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keywordSearch } from './keyword-statements.js';
import { resolveSettings } from './pgvector-settings.js';
import { describeOnNativeServer, backendOn, nativeEngine, pgliteEngine, schemaTracker, type TestEngine } from './test-engines.js';

/**
 * Keyword search on stored words: the columns and GIN index new collections get, the text-search
 * configuration they are built with, tables from before migration 6, and the plan on a shared table.
 */
const shared = { name: 'docs', dimension: 2, metric: 'cosine', tenantField: true, partitioned: false } as const;
const location = { collection: 'docs' };
const texts = ['overdue invoice overdue', 'invoice paid', 'a long text about something else entirely', 'overdue', 'running late, the runner runs'];
const records = (tenant: string): StoredRecord[] => texts.map((text, n) => ({ id: `${tenant}:d${n}`, recordId: `d${n}`, tenant, vector: [1, n], metadata: {}, text }));

function keywordStorageTests(start: () => Promise<TestEngine> | TestEngine): void {
  let engine: TestEngine;
  const tracked = schemaTracker();
  beforeAll(async () => {
    engine = await start();
  });
  afterAll(async () => {
    await tracked.dropAll(engine);
    await engine.close();
  });

  const keyword = (backend: ReturnType<typeof backendOn>, text: string) =>
    backend.rawKeywordQuery({ location, scope: { tenant: 'a' }, text, terms: queryTerms(text), topK: 10 });

  it('stores each text\'s words and length, indexes them with GIN, and ranks as exact BM25 over the tenant alone', async () => {
    const schema = tracked.fresh();
    const backend = backendOn(engine, { schema });
    await backend.ensureCollection({ collection: shared });
    await backend.rawUpsert({ location, records: [...records('a'), ...records('b'), ...records('b')] });
    const { rows } = await engine.raw((transaction) => transaction.query<{ word_count: number; indexes: string; configuration: string }>(
      `SELECT (SELECT word_count FROM "${schema}".docs WHERE id = 'a:d0') AS word_count,
         (SELECT string_agg(indexdef, ' ') FROM pg_indexes WHERE schemaname = $1 AND tablename = 'docs') AS indexes,
         (SELECT text_search_configuration FROM "${schema}"._collections WHERE name = 'docs') AS configuration`, [schema]));
    expect(rows[0]).toMatchObject({ word_count: 3, configuration: 'pg_catalog.simple' });
    expect(rows[0]!.indexes).toMatch(/USING gin \(words\)/);
    const hits = await keyword(backend, 'overdue invoice');
    const expected = scoreBm25({ corpus: records('a'), candidates: records('a'), terms: queryTerms('overdue invoice') }).sort((left, right) => right.score - left.score);
    expect(hits.map((hit) => hit.id)).toEqual(expected.map(({ document }) => document.id));
    hits.forEach((hit, index) => expect(hit.score).toBeCloseTo(expected[index]!.score, 9));
    await backend.close();
  });

  it('finds the matching rows of a large tenant through the GIN index, never by parsing every text', async () => {
    const schema = tracked.fresh();
    const backend = backendOn(engine, { schema, sharedTablePartitions: 1 });
    await backend.ensureCollection({ collection: shared });
    // 5,000 rows of one tenant, three of them holding the query term; planned from real statistics.
    await engine.raw(async (transaction) => {
      await transaction.query(`INSERT INTO "${schema}".docs (id, record_id, tenant, embedding, text)
        SELECT 'a:' || n, n::text, 'a', '[1,0]', CASE WHEN n % 2000 = 7 THEN 'overdue ' ELSE '' END || 'filler words number ' || n FROM generate_series(1, 5000) AS n`);
      await transaction.query(`ANALYZE "${schema}".docs`);
    });
    const statement = keywordSearch({ schema, target: { table: 'docs', metric: 'cosine', keyColumn: 'tenant', textSearchConfiguration: 'simple' }, scope: { tenant: 'a' }, text: 'overdue', terms: ['overdue'], topK: 5, includeVectors: false });
    const explain = (settings: string) => engine.raw(async (transaction) => {
      await transaction.query(settings);
      return (await transaction.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${statement.text}`, statement.values)).rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    // Whatever plan the planner picks, no text is parsed: the stored words are matched.
    const plan = await explain('SELECT 1');
    expect(plan).not.toMatch(/to_tsvector\(.*text/);
    // The GIN index serves the match (the planner takes it once a scan costs more; here new rows still sit in its pending list).
    expect(await explain('SET LOCAL enable_seqscan = off')).toMatch(/Bitmap Index Scan on "?_w_/);
    const hits = await backend.rawKeywordQuery({ location, scope: { tenant: 'a' }, text: 'overdue', terms: ['overdue'], topK: 10 });
    expect(hits.map((hit) => hit.id).sort()).toEqual(['a:2007', 'a:4007', 'a:7']);
    await backend.close();
  });

  it('analyses texts and queries with the configured text-search configuration, fixed per collection', async () => {
    const schema = tracked.fresh();
    const english = backendOn(engine, { schema, textSearchConfiguration: 'english' });
    await english.ensureCollection({ collection: shared });
    await english.rawUpsert({ location, records: records('a') });
    // `english` stems: "runs" finds "running", "runner" and "runs"; `simple` would find "runs" only.
    expect((await keyword(english, 'runs')).map((hit) => hit.id)).toEqual(['a:d4']);
    expect((await keyword(english, 'the')).map((hit) => hit.id)).toEqual([]);
    await english.close();
    const simple = backendOn(engine, { schema });
    const refused = await simple.ensureCollection({ collection: shared }).catch((error: unknown) => error);
    expect(refused).toMatchObject({ code: 'CONFIGURATION', message: expect.stringMatching(/created with the text-search configuration 'pg_catalog.english'.*set to 'simple'/) });
    await simple.close();
    // The same configuration named with its schema is the same configuration.
    const qualified = backendOn(engine, { schema, textSearchConfiguration: 'pg_catalog.english' });
    await qualified.ensureCollection({ collection: shared });
    expect((await keyword(qualified, 'runner')).map((hit) => hit.id)).toEqual(['a:d4']);
    await qualified.close();
    const missing = await backendOn(engine, { schema: tracked.fresh(), textSearchConfiguration: 'klingon' }).ensureCollection({ collection: shared }).catch((error: unknown) => error);
    expect(missing).toMatchObject({ code: 'CONFIGURATION', message: expect.stringContaining('"klingon", which is no text-search configuration') });
    expect(() => resolveSettings({ textSearchConfiguration: 'english; drop table x' })).toThrow(expect.objectContaining({ code: 'CONFIGURATION' }));
  });

  it('keeps serving tables created before stored words, parsing their texts per query, with the same ranking', async () => {
    const schema = tracked.fresh();
    const backend = backendOn(engine, { schema });
    await backend.ensureCollection({ collection: shared });
    await backend.rawUpsert({ location, records: [...records('a'), ...records('b')] });
    const indexed = await keyword(backend, 'overdue invoice late');
    await backend.close();
    // The layout of migration 5: no words, no word_count, no configuration in the catalogue.
    await engine.raw(async (transaction) => {
      await transaction.query(`ALTER TABLE "${schema}".docs DROP COLUMN words, DROP COLUMN word_count`);
      await transaction.query(`UPDATE "${schema}"._collections SET text_search_configuration = NULL`);
    });
    const legacy = backendOn(engine, { schema });
    await legacy.ensureCollection({ collection: shared });
    const parsed = await keyword(legacy, 'overdue invoice late');
    expect(parsed.map((hit) => hit.id)).toEqual(indexed.map((hit) => hit.id));
    parsed.forEach((hit, index) => expect(hit.score).toBeCloseTo(indexed[index]!.score, 9));
    await legacy.rawUpsert({ location, records: [{ ...records('a')[1]!, text: 'invoice overdue now' }] });
    expect((await keyword(legacy, 'now')).map((hit) => hit.id)).toEqual(['a:d1']);
    await legacy.close();
  });
}

describe('keyword search on stored words (PGlite)', () => {
  keywordStorageTests(pgliteEngine);
});

describeOnNativeServer('keyword search on stored words (native server)', () => {
  keywordStorageTests(nativeEngine);
});
