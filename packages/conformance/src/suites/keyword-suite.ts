import { expect, it } from 'vitest';
import { TenantVecError, type QueryMatch, type TenantScope, type VectorBackend } from '@tenantvec/core';
import { queryTerms, scoreBm25, textTerms, websearchTerms, type Bm25Formula } from '@tenantvec/core/backend';
import type { Harness } from '../harness.js';
import { randomVector, seededRandom } from '../vectors.js';

/** Texts whose terms overlap unevenly, so BM25's IDF and length normalisation both decide the order. */
const acmeTexts = [
  'invoice overdue payment reminder',
  'payment received thank you',
  'overdue overdue overdue final notice',
  'quarterly report revenue payment terms',
  'welcome to the team',
  'invoice number 4711 payment due in thirty days',
  'reminder: the meeting moved',
  'refund request for invoice 4711',
];

/** The neighbour writes the same ids and the query terms, many times over: the statistics an attacker would move. */
const neighbourTexts = Array.from({ length: 30 }, (_, n) => `invoice payment overdue neighbour ${n}`);

/** How each keyword-capable backend × strategy must behave, derived here from its declared capability. */
function expectedKeyword(harness: Harness, capabilities: VectorBackend['capabilities']): 'runs' | 'UNSUPPORTED' | 'TERM_STATISTICS_SHARED' {
  const keyword = capabilities.keyword;
  if (keyword === undefined) return 'UNSUPPORTED';
  if (keyword.metrics !== undefined && !keyword.metrics.includes(harness.metric)) return 'UNSUPPORTED';
  const ownCollection = harness.strategyName === 'collection-per-tenant';
  const ownPartition = ownCollection || harness.strategyName === 'namespace-per-tenant';
  const isolated = keyword.statistics === 'scope'
    || (keyword.statistics === 'partition' && ownPartition)
    || (keyword.statistics === 'collection' && ownCollection);
  return isolated ? 'runs' : 'TERM_STATISTICS_SHARED';
}

async function seed(scope: TenantScope, texts: readonly string[], seedValue: number) {
  const random = seededRandom(seedValue);
  await scope.upsert(texts.map((text, n) => ({ id: `d${n}`, text, vector: randomVector(random, 8), metadata: { even: n % 2 === 0 } })));
}

/**
 * The reference: BM25 over acme's own records only, computed here from what was written, with
 * the statistics the backend declares it uses (exact unless its capability fixes a formula).
 */
function referenceRanking(params: { query: string; texts: readonly string[]; formula: Bm25Formula | undefined; only?: (n: number) => boolean; withoutText?: number; websearch?: boolean }) {
  const blanks = Array.from({ length: params.withoutText ?? 0 }, (_, n) => ({ id: `blank${n}`, n: -1 - n }));
  const corpus: { id: string; n: number; text?: string }[] = [...params.texts.map((text, n) => ({ id: `d${n}`, text, n })), ...blanks];
  const { only } = params;
  const candidates = only === undefined ? corpus : corpus.filter(({ n }) => only(n));
  const terms = params.websearch === true ? websearchTerms(params.query) : queryTerms(params.query);
  return scoreBm25({ corpus, candidates, terms, ...(params.formula === undefined ? {} : { formula: params.formula }) })
    .sort((left, right) => right.score - left.score || (left.document.id < right.document.id ? -1 : 1))
    .map(({ document, score }) => ({ id: document.id, score }));
}

function referenceIds(params: Parameters<typeof referenceRanking>[0]): string[] {
  return referenceRanking(params).map(({ id }) => id);
}

const ids = (hits: readonly QueryMatch[]) => hits.map((hit) => hit.id);

export function keywordSuite(harness: Harness): void {
  it('runs keyword and hybrid queries, or refuses them before any I/O with the code its capability implies', async () => {
    const { store, calls, capabilities } = await harness.newStore();
    const acme = store.forTenant('acme');
    const expected = expectedKeyword(harness, capabilities);
    if (expected === 'runs') {
      await acme.upsert([{ id: 'a', text: 'hello world', vector: [1, 0, 0, 0, 0, 0, 0, 0] }]);
      expect(ids(await acme.query({ text: 'hello', mode: 'keyword' }))).toEqual(['a']);
      return;
    }
    for (const mode of ['keyword', 'hybrid'] as const) {
      calls.length = 0;
      const failure = await acme.query({ text: 'hello', mode, vector: mode === 'hybrid' ? [1, 0, 0, 0, 0, 0, 0, 0] : undefined } as never).catch((error: unknown) => error);
      expect(TenantVecError.isInstance(failure) && failure.code).toBe(expected);
      expect(calls).toEqual([]);
    }
  });

  it('ranks keywords like BM25 over the tenant\'s own records, and filters without widening', async () => {
    const { store, capabilities } = await harness.newStore();
    if (expectedKeyword(harness, capabilities) !== 'runs') return;
    const formula = capabilities.keyword?.formula;
    const acme = store.forTenant('acme');
    await seed(acme, acmeTexts, 1);
    // Records without text are no documents, or count in N where the backend's formula says so.
    const withoutText = 3;
    await acme.upsert(Array.from({ length: withoutText }, (_, n) => ({ id: `blank${n}`, vector: randomVector(seededRandom(20 + n), 8) })));
    await seed(store.forTenant('acme-corp'), neighbourTexts, 2);
    for (const query of ['overdue invoice', 'payment', 'invoice 4711 refund', 'reminder!']) {
      const hits = await acme.query({ text: query, mode: 'keyword', topK: 5 });
      expect(ids(hits), query).toEqual(referenceIds({ query, texts: acmeTexts, formula, withoutText }).slice(0, 5));
      expect(hits.every((hit) => acmeTexts.includes(hit.text!))).toBe(true);
    }
    // Scores relative to the best one do not depend on a backend's scale (Weaviate's BM25 / (k1 + 1)),
    // but do on N and the average length: they show which records the statistics counted.
    const reference = referenceRanking({ query: 'overdue invoice', texts: acmeTexts, formula, withoutText });
    const relative = await acme.query({ text: 'overdue invoice', mode: 'keyword', topK: 5 });
    relative.forEach((hit, index) => expect(hit.score / relative[0]!.score, hit.id).toBeCloseTo(reference[index]!.score / reference[0]!.score, 3));
    const filtered = await acme.query({ text: 'payment', mode: 'keyword', topK: 10, filter: { $or: [{ even: true }, { even: { $exists: false } }] } });
    expect(ids(filtered)).toEqual(referenceIds({ query: 'payment', texts: acmeTexts, formula, withoutText, only: (n) => n % 2 === 0 }));
    expect(await acme.query({ text: 'neighbour', mode: 'keyword' })).toEqual([]);
  });

  it('keeps a tenant\'s keyword scores still while another tenant adds and deletes documents with the query terms', async () => {
    const { store, capabilities } = await harness.newStore();
    if (expectedKeyword(harness, capabilities) !== 'runs') return;
    const acme = store.forTenant('acme');
    const other = store.forTenant('other');
    await seed(acme, acmeTexts, 3);
    await other.upsert([{ id: 'x', text: 'unrelated words', vector: randomVector(seededRandom(9), 8) }]);
    const snapshot = async () => (await acme.query({ text: 'overdue invoice payment', mode: 'keyword', topK: 8 }))
      .map((hit) => `${hit.id}:${hit.score.toFixed(9)}`);
    const before = await snapshot();
    expect(before.length).toBeGreaterThan(2);
    await seed(other, neighbourTexts, 4);
    expect(await snapshot()).toEqual(before);
    await other.delete({ ids: neighbourTexts.map((_, n) => `d${n}`).slice(0, 25) });
    expect(await snapshot()).toEqual(before);
    const hybridBefore = ids(await acme.query({ text: 'overdue invoice', mode: 'hybrid', vector: randomVector(seededRandom(5), 8), topK: 5 }));
    await seed(other, neighbourTexts.map((text) => `${text} overdue invoice`), 6);
    expect(ids(await acme.query({ text: 'overdue invoice', mode: 'hybrid', vector: randomVector(seededRandom(5), 8), topK: 5 }))).toEqual(hybridBefore);
  });

  it('fuses the vector and keyword branches by reciprocal rank and says how each hit ranked', async () => {
    const { store, capabilities } = await harness.newStore();
    if (expectedKeyword(harness, capabilities) !== 'runs') return;
    const acme = store.forTenant('acme');
    await seed(acme, acmeTexts, 7);
    const vector = randomVector(seededRandom(8), 8);
    const vectorHits = await acme.query({ vector, topK: 8 });
    const keywordHits = await acme.query({ text: 'invoice payment', mode: 'keyword', topK: 8 });
    const fused = new Map<string, number>();
    vectorHits.forEach((hit, index) => fused.set(hit.id, (fused.get(hit.id) ?? 0) + 1 / (60 + index + 1)));
    keywordHits.forEach((hit, index) => fused.set(hit.id, (fused.get(hit.id) ?? 0) + 2 / (60 + index + 1)));
    const expected = [...fused].sort((left, right) => right[1] - left[1] || (left[0] < right[0] ? -1 : 1)).slice(0, 4);
    const hits = await acme.query({ text: 'invoice payment', vector, mode: 'hybrid', topK: 4, candidates: 8, fusion: { method: 'rrf', weights: { keyword: 2 } } });
    expect(ids(hits)).toEqual(expected.map(([id]) => id));
    hits.forEach((hit, index) => expect(hit.score).toBeCloseTo(expected[index]![1], 9));
    const top = hits[0]!;
    const vectorRank = vectorHits.findIndex((hit) => hit.id === top.id) + 1;
    expect(top.branches?.vector?.rank).toBe(vectorRank === 0 ? undefined : vectorRank);
    const relative = await acme.query({ text: 'invoice payment', vector, mode: 'hybrid', topK: 8, candidates: 8, fusion: { method: 'relative-score' } });
    expect(relative.every((hit) => hit.score >= 0 && hit.score <= 2)).toBe(true);
  });

  it('reads a search-box query (websearch) where the backend declares it, and refuses it before any I/O elsewhere', async () => {
    const { store, calls, capabilities } = await harness.newStore();
    const acme = store.forTenant('acme');
    const expected = expectedKeyword(harness, capabilities);
    if (expected !== 'runs' || capabilities.keyword?.syntaxes?.includes('websearch') !== true) {
      calls.length = 0;
      const failure = await acme.query({ text: 'invoice -4711', mode: 'keyword', keywordSyntax: 'websearch' }).catch((error: unknown) => error);
      const code = capabilities.keyword?.syntaxes?.includes('websearch') === true ? expected : 'UNSUPPORTED';
      expect(TenantVecError.isInstance(failure) && failure.code).toBe(code);
      expect(calls).toEqual([]);
      return;
    }
    const formula = capabilities.keyword?.formula;
    // A text holding "or" and "4711": neither the operator nor an excluded word may score.
    const texts = [...acmeTexts, 'refund or payment, whichever 4711 comes first'];
    await seed(acme, texts, 11);
    // The neighbour's texts match every query below: a search across the walls would return them.
    await seed(store.forTenant('acme-corp'), ['invoice number payment refund', 'invoice'], 12);
    const words = (text: string) => textTerms(text);
    const has = (text: string, word: string) => words(text).includes(word);
    const cases: [string, (text: string) => boolean][] = [
      ['invoice 4711', (text) => has(text, 'invoice') && has(text, '4711')],
      ['invoice -4711', (text) => has(text, 'invoice') && !has(text, '4711')],
      ['"invoice number"', (text) => words(text).join(' ').includes('invoice number')],
      ['payment or refund', (text) => has(text, 'payment') || has(text, 'refund')],
      // As in websearch_to_tsquery, the implicit AND binds tighter than or: refund | (payment & !4711).
      ['refund or payment -4711', (text) => has(text, 'refund') || (has(text, 'payment') && !has(text, '4711'))],
    ];
    for (const [query, matches] of cases) {
      const hits = await acme.query({ text: query, mode: 'keyword', keywordSyntax: 'websearch', topK: 10 });
      // Ranked by BM25 over the words searched for, with the scope's statistics; only matching texts are hits.
      const reference = referenceRanking({ query, texts, formula, websearch: true, only: (n) => matches(texts[n]!) });
      expect(ids(hits), query).toEqual(reference.map(({ id }) => id));
      hits.forEach((hit, index) => expect(hit.score / hits[0]!.score, `${query}: ${hit.id}`).toBeCloseTo(reference[index]!.score / reference[0]!.score, 3));
      expect(hits.length, query).toBeGreaterThan(0);
    }
    const hybrid = await acme.query({ text: 'invoice -4711', mode: 'hybrid', keywordSyntax: 'websearch', vector: randomVector(seededRandom(13), 8), topK: 8 });
    const keywordBranch = hybrid.filter((hit) => hit.branches?.keyword !== undefined);
    expect(keywordBranch.map((hit) => hit.id)).toEqual(['d0']);
  });

  it('refuses malformed keyword and hybrid queries before any I/O', async () => {
    const { store, calls } = await harness.newStore();
    const acme = store.forTenant('acme');
    const attempts: unknown[] = [
      { text: '   ', mode: 'keyword' },
      { vector: [1, 0, 0, 0, 0, 0, 0, 0], text: 'x', mode: 'keyword' },
      { text: 'x', mode: 'fuzzy' },
      { text: 'x', mode: 'hybrid', fusion: { method: 'borda' } },
      { text: 'x', mode: 'keyword', fusion: { method: 'rrf' } },
      { text: 'x', mode: 'hybrid', fusion: { method: 'rrf', k: 0 } },
      { text: 'x', mode: 'hybrid', fusion: { method: 'relative-score', k: 60 } },
      { text: 'x', mode: 'hybrid', vector: [1, 0, 0, 0, 0, 0, 0, 0], candidates: 1, topK: 5 },
      { text: 'x', mode: 'keyword', keywordSyntax: 'boolean' },
      { vector: [1, 0, 0, 0, 0, 0, 0, 0], keywordSyntax: 'websearch' },
      { text: '-refund -"final notice"', mode: 'keyword', keywordSyntax: 'websearch' },
    ];
    for (const attempt of attempts) {
      const failure = await acme.query(attempt as never).catch((error: unknown) => error);
      expect(TenantVecError.isInstance(failure) && failure.code, JSON.stringify(attempt)).toBe('INVALID_ARGUMENT');
    }
    expect(calls).toEqual([]);
  });
}
