import { describe, expect, it } from 'vitest';
import { inverseDocumentFrequency, scoreBm25, termWeight } from './bm25.js';
import { fuseBranches, resolveFusion } from './fusion.js';
import { assertKeywordAllowed, termStatisticsIsolated } from './term-statistics.js';
import { sparseQueryTerms, sparseTermWeights } from './sparse-terms.js';
import { MAX_TERM_LENGTH, queryTerms, termCounts, termIndex, textTerms, websearchTerms } from './text-terms.js';

describe('text terms', () => {
  it('lowercases runs of letters and digits, folding compatibility forms and keeping repeats', () => {
    expect(textTerms('Überweisung ÜBERWEISUNG, ﬁle_42 – naïve!')).toEqual(['überweisung', 'überweisung', 'file', '42', 'naïve']);
    expect(queryTerms('Payment payment PAYMENT due')).toEqual(['payment', 'due']);
    expect(termCounts('a b a').counts.get('a')).toBe(2);
    expect(termCounts('a b a').length).toBe(3);
    expect(textTerms('x'.repeat(200))[0]).toHaveLength(MAX_TERM_LENGTH);
  });

  it('gives each term a stable 32-bit index (FNV-1a of its UTF-8 bytes)', () => {
    expect(termIndex('a')).toBe(0xe40c292c);
    expect(termIndex('überweisung')).toBe(termIndex('überweisung'));
    expect(termIndex('invoice')).not.toBe(termIndex('invoices'));
  });
});

describe('sparse term weights', () => {
  it('weights each distinct term by BM25 with the fixed average length, keyed by termIndex, and none for a text without terms', () => {
    const sparse = sparseTermWeights('apple apple banana', 4)!;
    const expected = [
      { index: termIndex('apple'), value: termWeight({ frequency: 2, length: 3, averageLength: 4 }) },
      { index: termIndex('banana'), value: termWeight({ frequency: 1, length: 3, averageLength: 4 }) },
    ].sort((left, right) => left.index - right.index);
    expect(sparse.indices).toEqual(expected.map(({ index }) => index));
    sparse.values.forEach((value, position) => expect(value).toBeCloseTo(expected[position]!.value, 12));
    expect(sparseTermWeights('!!', 4)).toBeUndefined();
    expect(sparseTermWeights(undefined, 4)).toBeUndefined();
    expect(sparseQueryTerms(['b', 'a', 'b'])).toEqual({ indices: [termIndex('a'), termIndex('b')].sort((left, right) => left - right), values: [1, 1] });
  });
});

describe('websearch terms', () => {
  it('keeps the words searched for: not a standalone or, not an excluded word or phrase', () => {
    expect(websearchTerms('payment or refund')).toEqual(['payment', 'refund']);
    expect(websearchTerms('"overdue invoice" -paid OR Reminder')).toEqual(['overdue', 'invoice', 'reminder']);
    expect(websearchTerms('invoice -"final notice" order')).toEqual(['invoice', 'order']);
    expect(websearchTerms('-refund -"a b"')).toEqual([]);
    expect(websearchTerms('orange or')).toEqual(['orange']);
  });
});

describe('BM25', () => {
  it('matches the formula by hand on a two-document corpus', () => {
    const corpus = [{ text: 'apple apple banana' }, { text: 'banana cherry' }];
    const [hit] = scoreBm25({ corpus, candidates: corpus, terms: ['apple'] });
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    const norm = 1 - 0.75 + 0.75 * (3 / 2.5);
    expect(hit!.document).toBe(corpus[0]);
    expect(hit!.score).toBeCloseTo(idf * ((2 * 2.2) / (2 + 1.2 * norm)), 12);
  });

  it('counts records without terms in N only when the formula says every record, and never in the average length', () => {
    const corpus = [{ text: 'apple apple banana' }, { text: 'banana cherry' }, {}, { text: '!!' }];
    const norm = 1 - 0.75 + 0.75 * (3 / 2.5);
    const tf = (2 * 2.2) / (2 + 1.2 * norm);
    const [documents] = scoreBm25({ corpus, candidates: corpus, terms: ['apple'] });
    expect(documents!.score).toBeCloseTo(Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5)) * tf, 12);
    const [everyRecord] = scoreBm25({ corpus, candidates: corpus, terms: ['apple'], formula: { documentCount: 'every-record' } });
    expect(everyRecord!.score).toBeCloseTo(Math.log(1 + (4 - 1 + 0.5) / (1 + 0.5)) * tf, 12);
  });

  it('keeps IDF positive for a term in every document and leaves out non-matching documents', () => {
    expect(inverseDocumentFrequency(10, 10)).toBeGreaterThan(0);
    expect(termWeight({ frequency: 0, length: 3, averageLength: 3 })).toBe(0);
    const corpus = [{ text: 'one' }, { text: 'two' }];
    expect(scoreBm25({ corpus, candidates: corpus, terms: ['three'] })).toEqual([]);
  });

  it('draws statistics from the corpus, not from the candidates a filter left', () => {
    const corpus = [{ text: 'rare word' }, { text: 'common' }, { text: 'common' }, { text: 'rare common' }];
    const all = scoreBm25({ corpus, candidates: corpus, terms: ['rare'] });
    const narrowed = scoreBm25({ corpus, candidates: [corpus[0]!], terms: ['rare'] });
    expect(narrowed[0]!.score).toBe(all.find((hit) => hit.document === corpus[0])!.score);
  });

  it('follows a declared formula: a fixed average length, and no IDF', () => {
    const corpus = [{ text: 'apple apple banana' }, { text: 'banana cherry' }];
    const fixed = scoreBm25({ corpus, candidates: corpus, terms: ['apple'], formula: { averageLength: 10 } });
    const idf = Math.log(1 + (2 - 1 + 0.5) / (1 + 0.5));
    expect(fixed[0]!.score).toBeCloseTo(idf * ((2 * 2.2) / (2 + 1.2 * (1 - 0.75 + 0.75 * (3 / 10)))), 12);
    const unweighted = scoreBm25({ corpus, candidates: corpus, terms: ['banana'], formula: { averageLength: 10, inverseDocumentFrequency: false } });
    expect(unweighted.map((hit) => hit.score)).toEqual([
      2.2 / (1 + 1.2 * (1 - 0.75 + 0.75 * (3 / 10))),
      2.2 / (1 + 1.2 * (1 - 0.75 + 0.75 * (2 / 10))),
    ]);
  });
});

describe('fusion', () => {
  it('defaults to RRF with k 60 and equal weights, and refuses what it does not know', () => {
    expect(resolveFusion(undefined)).toEqual({ method: 'rrf', k: 60, weights: { vector: 1, keyword: 1 } });
    expect(() => resolveFusion({ method: 'borda' } as never)).toThrow(/rrf/);
    expect(() => resolveFusion({ method: 'relative-score', k: 3 } as never)).toThrow(/does not take k/);
    expect(() => resolveFusion({ method: 'rrf', weights: { text: 1 } as never })).toThrow(/not text/);
    expect(() => resolveFusion({ method: 'rrf', weights: { vector: 0, keyword: 0 } })).toThrow(/both be 0/);
    expect(() => resolveFusion({ method: 'rrf', weights: { vector: -1 } })).toThrow(/≥ 0/);
  });

  it('sums weight / (k + rank) over both branches and records each branch\'s place', () => {
    const fused = fuseBranches({
      vector: [{ id: 'a', score: 0.9 }, { id: 'b', score: 0.8 }],
      keyword: [{ id: 'b', score: 7 }, { id: 'c', score: 3 }],
      fusion: resolveFusion({ method: 'rrf', k: 10, weights: { keyword: 2 } }),
    });
    expect(fused.map((hit) => hit.id)).toEqual(['b', 'c', 'a']);
    expect(fused[0]!.score).toBeCloseTo(1 / 12 + 2 / 11, 12);
    expect(fused[0]!.branches).toEqual({ vector: { rank: 2, score: 0.8 }, keyword: { rank: 1, score: 7 } });
    expect(fused[2]!.branches).toEqual({ vector: { rank: 1, score: 0.9 } });
  });

  it('scales each branch by its own best and worst under relative-score fusion', () => {
    const fused = fuseBranches({
      vector: [{ id: 'a', score: 0.9 }, { id: 'b', score: 0.5 }],
      keyword: [{ id: 'b', score: 4 }, { id: 'c', score: 4 }],
      fusion: resolveFusion({ method: 'relative-score' }),
    });
    expect(Object.fromEntries(fused.map((hit) => [hit.id, hit.score]))).toEqual({ a: 1, b: 1, c: 1 });
    expect(fused.map((hit) => hit.id)).toEqual(['a', 'b', 'c']);
  });
});

describe('term statistics', () => {
  const shared = { tenant: 'acme' };
  it('counts as isolated only where the statistics cover the tenant alone', () => {
    const table: [string, object, object, boolean][] = [
      ['scope', shared, { collection: 'c' }, true],
      ['partition', shared, { collection: 'c' }, false],
      ['partition', {}, { collection: 'c', partition: 'p' }, true],
      ['collection', {}, { collection: 'c', partition: 'p' }, false],
      ['collection', {}, { collection: 'c' }, true],
      ['collection', { sourcePrefix: 'acme' }, { collection: 'c' }, false],
    ];
    for (const [statistics, tenantScope, location, isolated] of table) {
      expect(termStatisticsIsolated({ capability: { statistics: statistics as 'scope', ranking: 'bm25' }, tenantScope, location: location as never }), statistics).toBe(isolated);
    }
  });

  it('refuses shared statistics with a typed error naming the opt-in, and lets the opt-in through', () => {
    const backend = { name: 'qdrant', capabilities: { keyword: { statistics: 'collection' as const, ranking: 'idf' } }, rawKeywordQuery: () => undefined };
    const params = { backend, strategy: 'metadata-filter', tenantScope: shared, location: { collection: 'c' }, metric: 'cosine' as const };
    expect(() => assertKeywordAllowed({ ...params, settings: {} })).toThrow(expect.objectContaining({ code: 'TERM_STATISTICS_SHARED', message: expect.stringContaining('shareTermStatisticsAcrossTenants') }));
    expect(() => assertKeywordAllowed({ ...params, settings: { shareTermStatisticsAcrossTenants: true } })).not.toThrow();
    expect(() => assertKeywordAllowed({ ...params, backend: { name: 'x', capabilities: {} }, settings: {} })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED' }));
  });

  it('refuses a metric the backend cannot search keywords in, even with statistics of its own or the opt-in', () => {
    const backend = { name: 'pinecone', capabilities: { keyword: { statistics: 'scope' as const, ranking: 'bm25', metrics: ['dot'] as const } }, rawKeywordQuery: () => undefined };
    const params = { backend, strategy: 'namespace-per-tenant', tenantScope: {}, location: { collection: 'c', partition: 'p' } };
    for (const settings of [{}, { shareTermStatisticsAcrossTenants: true }]) {
      expect(() => assertKeywordAllowed({ ...params, metric: 'cosine', settings })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED', message: expect.stringMatching(/only in collections whose metric is 'dot'; this store's metric is 'cosine'.*normalised/) }));
      expect(() => assertKeywordAllowed({ ...params, metric: 'euclidean', settings })).toThrow(expect.objectContaining({ code: 'UNSUPPORTED', message: expect.not.stringContaining('normalised') }));
      expect(() => assertKeywordAllowed({ ...params, metric: 'dot', settings })).not.toThrow();
    }
  });
});
