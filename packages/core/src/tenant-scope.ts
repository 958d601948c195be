import {
  BatchRejectedError,
  BatchWriteError,
  DimensionMismatchError,
  EmbedderRequiredError,
  InvalidArgumentError,
  InvalidFilterError,
  InvalidSourceError,
  type BatchItemFailure,
} from './errors.js';
import type { Filter } from './filter/filter-types.js';
import { parseFilter } from './filter/parse-filter.js';
import type { TenantPlacement } from './isolation-strategy.js';
import { freezeMetadata } from './metadata.js';
import { recordIdProblem, vectorProblem, type QueryMatch, type RecordInput, type TenantRecord } from './record-input.js';
import { isWithinSource, joinSource, normalizeSource } from './source-path.js';
import type { StoreRuntime } from './store-runtime.js';
import type { ScopeConstraint, StoredRecord } from './vector-backend.js';
import { prepareRecords } from './prepare-records.js';

interface QueryOptions {
  /** @default 10 */
  topK?: number;
  /** Metadata conditions, always ANDed under the scope's walls. */
  filter?: Filter;
  /** @default false */
  includeVectors?: boolean;
}

export type QueryParams = QueryOptions & (
  | { vector: readonly number[] | Float32Array; text?: never }
  | { text: string; vector?: never }
);

/** Exactly one way of choosing what to delete. `source` is a folder of the tenant, as in records. */
export type DeleteParams =
  | { ids: readonly string[]; filter?: never; source?: never }
  | { filter: Filter; ids?: never; source?: never }
  | { source: string; ids?: never; filter?: never };

export interface TenantStats {
  tenantId: string;
  path?: string;
  records: number;
  strategy: string;
  backend: string;
  dimension: number;
  metric: string;
}

/**
 * Everything one tenant (or one source folder of it) can do. Immutable: a scope can never be
 * pointed at another tenant, and every operation carries its walls down to the backend.
 */
export interface TenantScope {
  readonly tenantId: string;
  /** The source folder this scope is narrowed to; undefined for the whole tenant. */
  readonly path: string | undefined;
  upsert(records: readonly RecordInput[]): Promise<{ upserted: number }>;
  query(params: QueryParams): Promise<QueryMatch[]>;
  /** The record, or null when this scope holds no record with that id (whoever else might). */
  get(id: string): Promise<TenantRecord | null>;
  getMany(ids: readonly string[]): Promise<TenantRecord[]>;
  delete(params: DeleteParams): Promise<void>;
  count(params?: { filter?: Filter }): Promise<number>;
  stats(): Promise<TenantStats>;
  /** Every record of the scope, a page at a time under the hood. */
  export(params?: { pageSize?: number }): AsyncIterable<TenantRecord>;
  /** A narrower scope: only records whose source lies in `subpath` (relative to this scope). */
  scope(subpath: string): TenantScope;
}

export function createTenantScope(runtime: StoreRuntime, tenantId: string, path?: string): TenantScope {
  const placement = runtime.strategy.place(runtime.context, tenantId);
  const walls: ScopeConstraint = path === undefined
    ? placement.scope
    : { ...placement.scope, sourcePrefix: placement.physicalSource(path) };
  const { backend } = runtime;
  const { location } = placement;

  const toRecord = (stored: StoredRecord): TenantRecord => toTenantRecord(stored, placement);

  const scope: TenantScope = {
    tenantId,
    path,

    async upsert(records) {
      runtime.assertOpen();
      const prepared = await prepareRecords({ runtime, placement, path, records });
      await runtime.onboard(tenantId);
      const { maxBatchSize } = backend.capabilities;
      for (let start = 0; start < prepared.length; start += maxBatchSize) {
        const chunk = prepared.slice(start, start + maxBatchSize);
        try {
          await backend.upsert({ location, records: chunk });
        } catch (cause) {
          throw new BatchWriteError({
            writtenIds: prepared.slice(0, start).map((record) => record.recordId),
            failedIds: prepared.slice(start).map((record) => record.recordId),
            cause,
          });
        }
      }
      return { upserted: prepared.length };
    },

    async query(params) {
      runtime.assertOpen();
      const { topK = 10, includeVectors = false } = params;
      const { maxTopK } = backend.capabilities;
      if (!Number.isInteger(topK) || topK < 1 || topK > maxTopK) {
        throw new InvalidArgumentError(`topK must be a whole number from 1 to ${maxTopK}, got ${String(topK)}.`);
      }
      const filter = parseFilter(params.filter);
      runtime.assertFilterSupported(filter);
      const vector = await queryVector(runtime, params);
      const hits = await backend.query({ location, scope: walls, vector, topK, filter, includeVectors });
      return runtime.verifyOwned(hits, placement, walls).map(({ vector: hitVector, ...hit }) => {
        const match: QueryMatch = { ...toRecord({ ...hit, vector: [] }), score: hit.score };
        delete (match as { vector?: unknown }).vector;
        return hitVector === undefined ? match : { ...match, vector: hitVector };
      });
    },

    async get(id) {
      const [record] = await scope.getMany([id]);
      return record ?? null;
    },

    async getMany(ids) {
      runtime.assertOpen();
      const physicalIds = validIds(ids).map((id) => placement.physicalId(id));
      const found = await backend.get({ location, scope: walls, ids: physicalIds });
      return runtime.verifyOwned(found, placement, walls).map(toRecord);
    },

    async delete(params) {
      runtime.assertOpen();
      const given = ['ids', 'filter', 'source'].filter((key) => (params as Record<string, unknown>)?.[key] !== undefined);
      if (given.length !== 1) throw new InvalidArgumentError('delete takes exactly one of { ids }, { filter } or { source }.');
      if (params.ids !== undefined) {
        const ids = validIds(params.ids).map((id) => placement.physicalId(id));
        await backend.delete({ location, scope: walls, ids });
      } else if (params.filter !== undefined) {
        const filter = parseFilter(params.filter);
        if (filter === undefined) throw new InvalidFilterError('delete needs a non-empty filter; use dropTenant to remove a whole tenant.');
        runtime.assertFilterSupported(filter);
        await backend.delete({ location, scope: walls, filter });
      } else {
        const folder = normalizeSource(params.source);
        if (path !== undefined && !isWithinSource(folder, path)) {
          throw new InvalidSourceError(`Source ${JSON.stringify(folder)} lies outside this scope's folder ${JSON.stringify(path)}.`);
        }
        await backend.delete({ location, scope: { ...walls, sourcePrefix: placement.physicalSource(folder) } });
      }
    },

    async count(params = {}) {
      runtime.assertOpen();
      const filter = parseFilter(params.filter);
      runtime.assertFilterSupported(filter);
      return backend.count({ location, scope: walls, filter });
    },

    async stats() {
      const { context } = runtime;
      return {
        tenantId,
        ...(path === undefined ? {} : { path }),
        records: await scope.count(),
        strategy: runtime.strategy.type,
        backend: backend.name,
        dimension: context.dimension,
        metric: context.metric,
      };
    },

    async *export(params = {}) {
      runtime.assertOpen();
      const pageSize = params.pageSize ?? 256;
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) {
        throw new InvalidArgumentError('pageSize must be a whole number from 1 to 10000.');
      }
      let after: string | undefined;
      do {
        const page = await backend.scan({ location, scope: walls, limit: pageSize, ...(after === undefined ? {} : { after }) });
        for (const record of runtime.verifyOwned(page.records, placement, walls)) yield toRecord(record);
        after = page.next;
      } while (after !== undefined);
    },

    scope(subpath) {
      const relative = normalizeSource(subpath, 'scope path');
      return createTenantScope(runtime, tenantId, path === undefined ? relative : joinSource(path, relative));
    },
  };
  return Object.freeze(scope);
}

function validIds(ids: readonly string[]): string[] {
  if (!Array.isArray(ids) || ids.length === 0) throw new InvalidArgumentError('ids must be a non-empty list.');
  const failures: BatchItemFailure[] = [];
  ids.forEach((id, index) => {
    const problem = recordIdProblem(id);
    if (problem !== undefined) failures.push({ index, code: 'INVALID_ARGUMENT', message: problem });
  });
  if (failures.length > 0) throw new BatchRejectedError(failures);
  return [...ids];
}

async function queryVector(runtime: StoreRuntime, params: QueryParams): Promise<readonly number[]> {
  const { dimension, metric } = runtime.context;
  if ((params.vector === undefined) === (params.text === undefined)) {
    throw new InvalidArgumentError('A query takes exactly one of vector or text.');
  }
  if (params.vector !== undefined) {
    const problem = vectorProblem(params.vector, dimension, metric);
    if (problem !== undefined) {
      throw problem.includes('dimensions')
        ? new DimensionMismatchError(`Query vector: ${problem}.`)
        : new InvalidArgumentError(`Query vector: ${problem}.`);
    }
    return Array.from(params.vector);
  }
  if (typeof params.text !== 'string' || params.text.length === 0) throw new InvalidArgumentError('A query text must be a non-empty string.');
  if (runtime.embedder === undefined) {
    throw new EmbedderRequiredError('This store has no embedder, so queries must give a vector.');
  }
  const [vector] = await runtime.embed([params.text]);
  return vector!;
}

function toTenantRecord(stored: StoredRecord, placement: TenantPlacement): TenantRecord {
  const source = placement.tenantSource(stored.source);
  return {
    id: stored.recordId,
    vector: stored.vector,
    ...(stored.text === undefined ? {} : { text: stored.text }),
    metadata: freezeMetadata(stored.metadata),
    ...(source === undefined ? {} : { source }),
  };
}
