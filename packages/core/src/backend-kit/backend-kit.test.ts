import { describe, expect, it } from 'vitest';
import { DimensionMismatchError } from '../errors.js';
import { CatalogueBackend, type CollectionCatalogueMethods } from './catalogue-backend.js';
import { assertSameCollection, CollectionMismatchError } from './collection-mismatch.js';
import { bestHits, compareHits } from './hit-order.js';
import { emptyWhenMissing } from './missing-as-empty.js';
import { euclideanSimilarity, similarityFromDistance, type ScoreConvention } from './similarity-from-distance.js';
import { similarity } from '../similarity.js';

const hit = (id: string, score: number) => ({ id, recordId: id, metadata: {}, score });
const spec = { name: 'docs', dimension: 3, metric: 'cosine' as const, tenantField: true, partitioned: false };

describe('similarityFromDistance', () => {
  const left = [1, 2, 2];
  const right = [2, 0, 1];
  const dot = 4;
  const cosine = dot / (3 * Math.sqrt(5));
  const squared = 1 + 4 + 1;

  it('gives the similarity core computes, from each form a vendor answers in', () => {
    const pgvector: ScoreConvention = { cosine: 'distance', dot: 'distance', euclidean: 'distance' };
    const weaviate: ScoreConvention = { cosine: 'distance', dot: 'distance', euclidean: 'squared-distance' };
    const qdrant: ScoreConvention = { cosine: 'similarity', dot: 'similarity', euclidean: 'distance' };
    const pinecone: ScoreConvention = { cosine: 'similarity', dot: 'similarity', euclidean: 'squared-distance' };
    const answers = {
      pgvector: { cosine: 1 - cosine, dot: -dot, euclidean: Math.sqrt(squared) },
      weaviate: { cosine: 1 - cosine, dot: -dot, euclidean: squared },
      qdrant: { cosine, dot, euclidean: Math.sqrt(squared) },
      pinecone: { cosine, dot, euclidean: squared },
    };
    for (const [vendor, convention] of Object.entries({ pgvector, weaviate, qdrant, pinecone })) {
      for (const metric of ['cosine', 'dot', 'euclidean'] as const) {
        const value = answers[vendor as keyof typeof answers][metric];
        expect(similarityFromDistance({ metric, value, convention })).toBeCloseTo(similarity(metric, left, right), 12);
      }
    }
  });

  it('reads a squared distance a hair below zero as identical, and maps euclidean into (0, 1]', () => {
    expect(similarityFromDistance({ metric: 'euclidean', value: -1e-9, convention: { cosine: 'distance', dot: 'distance', euclidean: 'squared-distance' } })).toBe(1);
    expect(euclideanSimilarity(0)).toBe(1);
    expect(euclideanSimilarity(3)).toBe(0.25);
  });
});

describe('hit order', () => {
  it('puts the best first and breaks exact ties by id, keeping topK', () => {
    const hits = [hit('b', 0.5), hit('c', 0.9), hit('a', 0.5), hit('d', 0.1)];
    expect(bestHits(hits, 3).map(({ id }) => id)).toEqual(['c', 'a', 'b']);
    expect(hits.map(({ id }) => id)).toEqual(['b', 'c', 'a', 'd']);
    expect(compareHits(hit('a', 1), hit('a', 1))).toBe(0);
  });
});

describe('assertSameCollection', () => {
  it('accepts the same collection, and what a backend cannot tell', () => {
    expect(() => assertSameCollection({ existing: { dimension: 3, metric: 'cosine', partitioned: false }, wanted: spec })).not.toThrow();
    expect(() => assertSameCollection({ existing: { metric: 'cosine' }, wanted: spec })).not.toThrow();
  });

  it('refuses another dimension, metric or partitioning with one typed error naming both values', () => {
    const cases = [
      [{ dimension: 4, metric: 'cosine' as const }, 'it holds 4-dimensional vectors, asked for 3'],
      [{ dimension: 3, metric: 'dot' as const }, 'its metric is dot, asked for cosine'],
      [{ dimension: 3, metric: 'cosine' as const, partitioned: true }, 'it is partitioned, asked for unpartitioned'],
    ] as const;
    for (const [existing, difference] of cases) {
      let error: unknown;
      try {
        assertSameCollection({ existing, wanted: spec });
      } catch (caught) {
        error = caught;
      }
      expect(error).toBeInstanceOf(CollectionMismatchError);
      expect(DimensionMismatchError.isInstance(error)).toBe(true);
      expect(error).toMatchObject({ code: 'DIMENSION_MISMATCH', collection: 'docs', message: `Collection docs exists with another dimension or metric: ${difference}.` });
    }
  });
});

describe('emptyWhenMissing', () => {
  const missing = Object.assign(new Error('not found'), { status: 404 });
  const isMissing = (error: unknown) => (error as { status?: number }).status === 404;

  it('answers empty for a missing location and passes every other outcome through', async () => {
    expect(await emptyWhenMissing({ run: () => Promise.reject(missing), isMissing, empty: [] })).toEqual([]);
    expect(await emptyWhenMissing({ run: () => Promise.resolve([1]), isMissing, empty: [] })).toEqual([1]);
    const other = new Error('boom');
    await expect(emptyWhenMissing({ run: () => Promise.reject(other), isMissing, empty: 0 })).rejects.toBe(other);
  });
});

describe('CatalogueBackend', () => {
  it('hands each catalogue method, with its params and answer, to the catalogue', async () => {
    const calls: [string, unknown][] = [];
    const record = (name: string, answer: unknown) => async (params: unknown) => (calls.push([name, params]), answer);
    const catalogue = {
      ensureCollection: record('ensureCollection', undefined),
      dropCollection: record('dropCollection', undefined),
      listCollections: record('listCollections', [{ name: 'docs' }]),
      ensurePartition: record('ensurePartition', undefined),
      dropPartition: record('dropPartition', undefined),
      listPartitions: record('listPartitions', [{ name: 'p', tenant: 'acme' }]),
    } as CollectionCatalogueMethods;
    class Backend extends CatalogueBackend {
      protected readonly catalogue = catalogue;
    }
    const backend = new Backend();
    await backend.ensureCollection({ collection: spec });
    await backend.dropCollection({ collection: 'docs' });
    expect(await backend.listCollections({ prefix: 'd' })).toEqual([{ name: 'docs' }]);
    await backend.ensurePartition({ collection: 'docs', partition: 'p', tenant: 'acme' });
    await backend.dropPartition({ collection: 'docs', partition: 'p' });
    expect(await backend.listPartitions({ collection: 'docs' })).toEqual([{ name: 'p', tenant: 'acme' }]);
    expect(calls).toEqual([
      ['ensureCollection', { collection: spec }],
      ['dropCollection', { collection: 'docs' }],
      ['listCollections', { prefix: 'd' }],
      ['ensurePartition', { collection: 'docs', partition: 'p', tenant: 'acme' }],
      ['dropPartition', { collection: 'docs', partition: 'p' }],
      ['listPartitions', { collection: 'docs' }],
    ]);
  });
});
