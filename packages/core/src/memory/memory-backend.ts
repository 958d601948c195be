import { z } from 'zod';
import { BackendError } from '../errors.js';
import { matchesFilter } from '../filter/evaluate-filter.js';
import { filterOperators } from '../filter/filter-types.js';
import { isInScope, sourceRoot } from '../scope-constraint.js';
import { similarity } from '../similarity.js';
import { scoreBm25 } from '../keyword/bm25.js';
import { assertSameCollection } from '../backend-kit/collection-mismatch.js';
import { bestHits, compareIds } from '../backend-kit/hit-order.js';
import {
  VECTOR_BACKEND_CONTRACT_VERSION,
  type BackendCapabilities,
  type BackendCountParams,
  type BackendDeleteParams,
  type BackendGetParams,
  type BackendKeywordQueryParams,
  type BackendQueryParams,
  type BackendScanParams,
  type CollectionInfo,
  type ListTenantKeysParams,
  type ScopedParams,
  type ScopeStats,
  type CollectionSpec,
  type Location,
  type ScanPage,
  type ScoredRecord,
  type StoredRecord,
  type BackendDescription,
  type VectorBackend,
} from '../vector-backend.js';
import { parseSettings } from '../settings/strict-settings.js';

export interface MemoryBackendSettings {
  /**
   * Most records per write request; small values exercise the store's batch splitting in tests.
   * @default 1000
   */
  maxBatchSize?: number;
  /** @default 1000 */
  maxTopK?: number;
}

export const memorySettingsSchema = z.strictObject({
  maxBatchSize: z.number().int().min(1).optional(),
  maxTopK: z.number().int().min(1).optional(),
});

interface Partition {
  tenant?: string;
  records: Map<string, StoredRecord>;
  /** When each record was last written, for `scopeStats`. */
  writtenAt: Map<string, number>;
}

interface Collection {
  spec: CollectionSpec;
  /** Unpartitioned collections keep their records under the key ''. */
  partitions: Map<string, Partition>;
}

function copyRecord(record: StoredRecord): StoredRecord {
  return structuredClone(record) as StoredRecord;
}

/**
 * An exact, in-process backend: brute-force kNN over plain maps. It is the oracle the
 * conformance suite checks every other backend against, and a zero-dependency backend for
 * users' own unit tests. Nothing is persisted.
 */
export class MemoryBackend implements VectorBackend {
  readonly contractVersion = VECTOR_BACKEND_CONTRACT_VERSION;
  readonly name = 'memory';
  readonly capabilities: BackendCapabilities;
  private readonly collections = new Map<string, Collection>();

  constructor(input: MemoryBackendSettings = {}) {
    const settings = parseSettings({ schema: memorySettingsSchema, settings: input, root: 'memoryBackend' });
    this.capabilities = {
      collections: true,
      partitions: true,
      maxBatchSize: settings.maxBatchSize ?? 1000,
      maxTopK: settings.maxTopK ?? 1000,
      filterOperators,
      collectionNames: { maxLength: 255, letterCase: 'any', separator: '-' },
      partitionNames: { maxLength: 255, letterCase: 'any', separator: '-' },
      readYourWrites: true,
      keyword: { statistics: 'scope', ranking: 'bm25 (exact, k1 1.2, b 0.75)' },
    };
  }

  async ensureCollection({ collection }: { collection: CollectionSpec }): Promise<void> {
    const existing = this.collections.get(collection.name);
    if (existing !== undefined) return assertSameCollection({ existing: { dimension: existing.spec.dimension, metric: existing.spec.metric }, wanted: collection });
    const partitions = new Map<string, Partition>();
    if (!collection.partitioned) partitions.set('', { records: new Map(), writtenAt: new Map() });
    this.collections.set(collection.name, { spec: { ...collection }, partitions });
  }

  async dropCollection({ collection }: { collection: string }): Promise<void> {
    this.collections.delete(collection);
  }

  async listCollections({ prefix }: { prefix: string }): Promise<CollectionInfo[]> {
    return [...this.collections.values()]
      .filter(({ spec }) => spec.name.startsWith(prefix))
      .map(({ spec }) => (spec.tenant === undefined ? { name: spec.name } : { name: spec.name, tenant: spec.tenant }));
  }

  async ensurePartition({ collection, partition, tenant }: { collection: string; partition: string; tenant: string }): Promise<void> {
    const target = this.requireCollection(collection);
    if (!target.spec.partitioned) throw new BackendError(`Collection ${collection} is not partitioned.`);
    if (!target.partitions.has(partition)) target.partitions.set(partition, { tenant, records: new Map(), writtenAt: new Map() });
  }

  async dropPartition({ collection, partition }: { collection: string; partition: string }): Promise<void> {
    this.collections.get(collection)?.partitions.delete(partition);
  }

  async listPartitions({ collection }: { collection: string }) {
    const target = this.collections.get(collection);
    if (target === undefined || !target.spec.partitioned) return [];
    return [...target.partitions].map(([name, partition]) => ({ name, tenant: partition.tenant ?? '' }));
  }

  async rawUpsert({ location, records }: { location: Location; records: readonly StoredRecord[] }): Promise<void> {
    const partition = this.findPartition(location);
    if (partition === undefined) throw new BackendError('The location to write to does not exist.');
    const { dimension } = this.requireCollection(location.collection).spec;
    if (records.length > this.capabilities.maxBatchSize) throw new BackendError(`More than ${this.capabilities.maxBatchSize} records in one request.`);
    if (records.some((record) => record.vector.length !== dimension)) throw new BackendError('A vector has the wrong dimension.');
    const now = Date.now();
    for (const record of records) {
      partition.records.set(record.id, copyRecord(record));
      partition.writtenAt.set(record.id, now);
    }
  }

  async rawQuery(params: BackendQueryParams): Promise<ScoredRecord[]> {
    const collection = this.collections.get(params.location.collection);
    if (collection === undefined) return [];
    const { metric } = collection.spec;
    const hits = this.select(params).map((record): ScoredRecord => {
      const { vector, ...rest } = copyRecord(record);
      const score = similarity(metric, params.vector, vector);
      return params.includeVectors === true ? { ...rest, vector, score } : { ...rest, score };
    });
    return bestHits(hits, params.topK);
  }

  /** Exact BM25 over the records within the walls: the reference every backend's keyword ranking is compared with. */
  async rawKeywordQuery(params: BackendKeywordQueryParams): Promise<ScoredRecord[]> {
    const corpus = this.select({ location: params.location, scope: params.scope });
    const candidates = params.filter === undefined ? corpus : corpus.filter((record) => matchesFilter(params.filter, record.metadata));
    const hits = scoreBm25({ corpus, candidates, terms: params.terms }).map(({ document, score }): ScoredRecord => {
      const { vector, ...rest } = copyRecord(document);
      return params.includeVectors === true ? { ...rest, vector, score } : { ...rest, score };
    });
    return bestHits(hits, params.topK);
  }

  async rawGet({ location, scope, ids }: BackendGetParams): Promise<StoredRecord[]> {
    const partition = this.findPartition(location);
    if (partition === undefined) return [];
    return ids
      .map((id) => partition.records.get(id))
      .filter((record): record is StoredRecord => record !== undefined && isInScope(record, scope))
      .map(copyRecord);
  }

  async rawDelete(params: BackendDeleteParams): Promise<void> {
    const partition = this.findPartition(params.location);
    if (partition === undefined) return;
    const doomed = params.ids === undefined
      ? this.select(params).map((record) => record.id)
      : params.ids.filter((id) => {
        const record = partition.records.get(id);
        return record !== undefined && isInScope(record, params.scope);
      });
    for (const id of doomed) {
      partition.records.delete(id);
      partition.writtenAt.delete(id);
    }
  }

  async rawCount(params: BackendCountParams): Promise<number> {
    return this.select(params).length;
  }

  async rawScan(params: BackendScanParams): Promise<ScanPage> {
    const after = params.after;
    const ordered = this.select(params)
      .filter((record) => after === undefined || record.id > after)
      .sort((left, right) => compareIds(left.id, right.id));
    const records = ordered.slice(0, params.limit).map(copyRecord);
    const last = records.at(-1);
    return ordered.length > params.limit && last !== undefined ? { records, next: last.id } : { records };
  }

  async rawListTenantKeys({ collection, key, after, limit }: ListTenantKeysParams) {
    const keys = new Set<string>();
    for (const partition of this.collections.get(collection)?.partitions.values() ?? []) {
      for (const record of partition.records.values()) {
        const value = key === 'tenant' ? record.tenant : sourceRoot(record.source);
        if (value !== undefined && (after === undefined || value > after)) keys.add(value);
      }
    }
    return [...keys].sort().slice(0, limit);
  }

  /** Bytes as the JSON size of the records: what this backend holds, roughly. */
  async rawScopeStats(params: ScopedParams): Promise<ScopeStats> {
    const records = this.select(params);
    const partition = this.findPartition(params.location);
    if (records.length === 0 || partition === undefined) return { bytes: 0 };
    const bytes = records.reduce((sum, record) => sum + Buffer.byteLength(JSON.stringify(record)), 0);
    const lastWrite = Math.max(...records.map((record) => partition.writtenAt.get(record.id) ?? 0));
    return { bytes, lastWriteAt: new Date(lastWrite) };
  }

  describe(): BackendDescription {
    return { kind: 'memory', inMemory: true };
  }

  async close(): Promise<void> {
    this.collections.clear();
  }

  private requireCollection(name: string): Collection {
    const collection = this.collections.get(name);
    if (collection === undefined) throw new BackendError(`Collection ${name} does not exist.`);
    return collection;
  }

  private findPartition(location: Location): Partition | undefined {
    return this.collections.get(location.collection)?.partitions.get(location.partition ?? '');
  }

  private select(params: BackendCountParams): StoredRecord[] {
    const partition = this.findPartition(params.location);
    if (partition === undefined) return [];
    return [...partition.records.values()].filter(
      (record) => isInScope(record, params.scope) && matchesFilter(params.filter, record.metadata),
    );
  }
}

/** An exact in-memory backend; see {@link MemoryBackend}. */
export function memoryBackend(settings: MemoryBackendSettings = {}): MemoryBackend {
  return new MemoryBackend(settings);
}
