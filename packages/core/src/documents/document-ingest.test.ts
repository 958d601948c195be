import { describe, expect, it } from 'vitest';
import { EMBEDDER_CONTRACT_VERSION, type Embedder } from '../embedder.js';
import { BatchWriteError } from '../errors.js';
import { localEmbedder } from '../local-embedder.js';
import { memoryBackend } from '../memory/memory-backend.js';
import type { OperationStart } from '../operation-hooks.js';
import { createTenantVectorStore } from '../tenant-vector-store.js';
import { sharedStrategy } from '../test-support/shared-strategy.js';
import type { VectorBackend } from '../vector-backend.js';
import type { IngestProgress } from './document-types.js';

/** Counts a token per word, so chunk sizes can be checked by eye. */
function wordEmbedder(): Embedder {
  const inner = localEmbedder({ dimension: 4 });
  return { ...inner, contractVersion: EMBEDDER_CONTRACT_VERSION, countTokens: (text) => text.trim().split(/\s+/).filter(Boolean).length };
}

const text = (words: number, prefix: string) => Array.from({ length: words }, (_, n) => `${prefix}${n}`).join(' ');

describe('ingest', () => {
  it('cuts by the embedder\'s own token count and reports progress per write and per document', async () => {
    const store = await createTenantVectorStore({ backend: memoryBackend(), strategy: sharedStrategy, dimension: 4, embedder: wordEmbedder(), maxBatchSize: 2 });
    const acme = store.forTenant('acme');
    const progress: IngestProgress[] = [];
    const { results } = await acme.ingestMany({
      documents: [{ documentId: 'a', text: text(100, 'a'), splitter: { chunkTokens: 25, overlapTokens: 0 } }, { documentId: 'b', chunks: ['one chunk'] }],
      onProgress: (event) => progress.push(event),
    });
    expect(results.map((result) => [result.documentId, result.status, result.chunks])).toEqual([['a', 'created', 4], ['b', 'created', 1]]);
    const chunks = await acme.getMany(['a', 'a#1@' + results[0]!.version, 'a#3@' + results[0]!.version]);
    expect(chunks.map((chunk) => chunk.text!.split(' ').length)).toEqual([25, 25, 25]);
    expect(progress.at(-1)).toEqual({ documents: 2, documentsDone: 2, chunksWritten: 1, chunks: 1 });
    expect(progress.filter((event) => event.documentsDone === 0).map((event) => event.chunksWritten)).toEqual([2, 3, 4]);
    expect(progress).toContainEqual({ documents: 2, documentsDone: 1, chunksWritten: 4, chunks: 4 });
  });

  it('names the documents a failed batch finished and admits the whole batch once, before any I/O', async () => {
    const backend = memoryBackend();
    let upserts = 0;
    const failing = new Proxy(backend, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (property === 'rawUpsert') return async (...args: unknown[]) => (upserts += 1) === 3 ? Promise.reject(new Error('disk full')) : value.apply(target, args);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    }) as VectorBackend;
    const starts: OperationStart[] = [];
    const store = await createTenantVectorStore({
      backend: failing, strategy: sharedStrategy, dimension: 4, embedder: wordEmbedder(), hooks: [{ beforeOperation: (start) => void starts.push(start) }],
    });
    const documents = ['one', 'two', 'three'].map((documentId) => ({ documentId, chunks: [`${documentId} alpha`, `${documentId} beta`] }));
    const failure = await store.forTenant('acme').ingestMany({ documents }).catch((error: unknown) => error);
    expect(BatchWriteError.isInstance(failure)).toBe(true);
    expect((failure as BatchWriteError).writtenIds).toEqual(['one']);
    expect((failure as BatchWriteError).failedIds).toEqual(['two', 'three']);
    expect(starts.map((start) => [start.operation, start.counts])).toEqual([['ingest', { records: 6, texts: 6 }]]);
  });
});
