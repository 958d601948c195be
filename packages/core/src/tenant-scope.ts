import {
  BatchRejectedError,
  InvalidArgumentError,
  InvalidFilterError,
  InvalidSourceError,
  type BatchItemFailure,
} from './errors.js';
import { parseFilter } from './filter/parse-filter.js';
import type { TenantPlacement } from './isolation-strategy.js';
import type { OperationName, OperationTracker } from './operation-hooks.js';
import { freezeMetadata } from './metadata.js';
import { recordIdProblem, type QueryMatch, type TenantRecord } from './record-input.js';
import { isWithinSource, joinSource, normalizeSource } from './source-path.js';
import type { StoreRuntime } from './store-runtime.js';
import type { ScopeConstraint, StoredRecord } from './vector-backend.js';
import { checkRecords, textsToEmbed, writeRecords } from './record-writes.js';
import { planScopeQuery } from './scope-query.js';
import type { ExportPage, TenantScope } from './tenant-scope-types.js';
import type { IngestResult } from './documents/document-types.js';
import { visibleHits } from './documents/current-version-hits.js';
import { ingestDocuments, planDocument, type IngestTarget } from './documents/document-ingest.js';
import { listDocuments, removeDocument } from './documents/document-listing.js';

export type { DeleteParams, ExportPage, ExportParams, KeywordSyntax, QueryParams, TenantScope, TenantStats } from './tenant-scope-types.js';

export function createTenantScope(runtime: StoreRuntime, tenantId: string, path?: string): TenantScope {
  const placement = runtime.strategy.place(runtime.context, tenantId);
  const walls: ScopeConstraint = path === undefined
    ? placement.scope
    : { ...placement.scope, sourcePrefix: placement.physicalSource(path) };
  const { backend } = runtime;
  const { location } = placement;

  const toRecord = (stored: StoredRecord): TenantRecord => toTenantRecord(stored, placement);

  const { reporter } = runtime;
  const run = <T>(operation: OperationName, body: (tracker: OperationTracker) => Promise<T>) =>
    reporter.run({ operation, tenant: tenantId, ...(path === undefined ? {} : { path }) }, async (tracker) => {
      runtime.assertOpen();
      return body(tracker);
    });

  const scope: TenantScope = {
    tenantId,
    path,

    upsert: (records) => run('upsert', async (tracker) => {
      const checked = checkRecords({ runtime, path, records });
      await tracker.ready({ records: checked.length, texts: textsToEmbed(checked) });
      await runtime.onboard(tenantId);
      return { upserted: await writeRecords({ runtime, placement, checked, tracker }) };
    }),

    ingest: (document) => run('ingest', async (tracker) => {
      const planned = planDocument({ runtime, path, document });
      await tracker.ready({ records: planned.checked.length, texts: textsToEmbed(planned.checked) });
      await runtime.onboard(tenantId);
      const results = await ingestDocuments(ingestTarget(tracker), [planned]);
      tracker.note({ records: chunksWritten(results) });
      return results[0]!;
    }),

    ingestMany: (params) => run('ingest', async (tracker) => {
      if (typeof params !== 'object' || params === null || !Array.isArray(params.documents) || params.documents.length === 0) {
        throw new InvalidArgumentError('ingestMany takes { documents: [...] } with at least one document.');
      }
      if (params.onProgress !== undefined && typeof params.onProgress !== 'function') throw new InvalidArgumentError('onProgress must be a function.');
      const planned = params.documents.map((document) => planDocument({ runtime, path, document }));
      const ids = new Set(planned.map(({ documentId }) => documentId));
      if (ids.size < planned.length) throw new InvalidArgumentError('ingestMany was given the same documentId more than once.');
      const checked = planned.flatMap((document) => document.checked);
      await tracker.ready({ records: checked.length, texts: textsToEmbed(checked) });
      await runtime.onboard(tenantId);
      const results = await ingestDocuments(ingestTarget(tracker), planned, params.onProgress);
      // Metering counts what was written: an unchanged document wrote nothing.
      tracker.note({ records: chunksWritten(results) });
      return { results };
    }),

    documents: (params = {}) => run('documents', async (tracker) => {
      const page = await listDocuments({ runtime, placement, walls, params, ready: () => tracker.ready() });
      tracker.note({ results: page.documents.length });
      return page;
    }),

    deleteDocument: (params) => run('delete', async (tracker) => {
      await removeDocument({ runtime, placement, walls, params, ready: () => tracker.ready() });
    }),

    query: (params) => run('query', async (tracker) => {
      const collapse = params?.collapse;
      if (collapse !== undefined && collapse !== 'document') throw new InvalidArgumentError(`collapse must be 'document', got ${JSON.stringify(collapse)}.`);
      const planned = await planScopeQuery({ runtime, placement, walls, query: params, tracker });
      const hits = await visibleHits({ runtime, placement, walls, planned, collapse });
      tracker.note({ results: hits.length });
      return runtime.verifyOwned(hits, placement, walls).map((hit): QueryMatch => ({
        ...tenantFields(hit, placement),
        score: hit.score,
        ...(hit.branches === undefined ? {} : { branches: hit.branches }),
        ...(hit.vector === undefined ? {} : { vector: hit.vector }),
      }));
    }),

    async get(id) {
      const [record] = await scope.getMany([id]);
      return record ?? null;
    },

    getMany: (ids) => run('get', async (tracker) => {
      const physicalIds = validIds(ids).map((id) => placement.physicalId(id));
      await tracker.ready({ records: physicalIds.length });
      const found = await backend.rawGet({ location, scope: walls, ids: physicalIds });
      tracker.note({ results: found.length });
      return runtime.verifyOwned(found, placement, walls).map(toRecord);
    }),

    delete: (params) => run('delete', async (tracker) => {
      const given = ['ids', 'filter', 'source'].filter((key) => (params as Record<string, unknown>)?.[key] !== undefined);
      if (given.length !== 1) throw new InvalidArgumentError('delete takes exactly one of { ids }, { filter } or { source }.');
      if (params.ids !== undefined) {
        const ids = validIds(params.ids).map((id) => placement.physicalId(id));
        await tracker.ready({ records: ids.length });
        await backend.rawDelete({ location, scope: walls, ids });
      } else if (params.filter !== undefined) {
        const filter = parseFilter(params.filter);
        if (filter === undefined) throw new InvalidFilterError('delete needs a non-empty filter; use dropTenant to remove a whole tenant.');
        runtime.assertFilterSupported(filter);
        await tracker.ready();
        await backend.rawDelete({ location, scope: walls, filter });
      } else {
        const folder = normalizeSource(params.source);
        if (path !== undefined && !isWithinSource(folder, path)) {
          throw new InvalidSourceError(`Source ${JSON.stringify(folder)} lies outside this scope's folder ${JSON.stringify(path)}.`);
        }
        await tracker.ready();
        await backend.rawDelete({ location, scope: { ...walls, sourcePrefix: placement.physicalSource(folder) } });
      }
    }),

    count: (params = {}) => run('count', async (tracker) => {
      const filter = parseFilter(params.filter);
      runtime.assertFilterSupported(filter);
      await tracker.ready();
      const counted = await backend.rawCount({ location, scope: walls, filter });
      tracker.note({ results: counted });
      return counted;
    }),

    stats: () => run('stats', async (tracker) => {
      const { context } = runtime;
      // Admission first: a refused stats call must not have scanned the scope already.
      await tracker.ready();
      const storage = (await backend.rawScopeStats?.({ location, scope: walls })) ?? {};
      const records = await backend.rawCount({ location, scope: walls });
      tracker.note({ results: records });
      return {
        tenantId,
        ...(path === undefined ? {} : { path }),
        records,
        ...(storage.bytes === undefined ? {} : { bytes: storage.bytes }),
        ...(storage.lastWriteAt === undefined ? {} : { lastWriteAt: storage.lastWriteAt }),
        strategy: runtime.strategy.type,
        backend: backend.name,
        dimension: context.dimension,
        metric: context.metric,
      };
    }),

    async *export(params = {}) {
      for await (const page of scope.exportPages(params)) yield* page.records;
    },

    exportPages(params = {}) {
      const pageSize = params.pageSize ?? 256;
      if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 10_000) {
        throw new InvalidArgumentError('pageSize must be a whole number from 1 to 10000.');
      }
      if (params.after !== undefined && (typeof params.after !== 'string' || params.after.length === 0)) {
        throw new InvalidArgumentError('after must be a cursor string from an earlier export page.');
      }
      return exportPages(pageSize, params.after);
    },

    scope(subpath) {
      const relative = normalizeSource(subpath, 'scope path');
      return createTenantScope(runtime, tenantId, path === undefined ? relative : joinSource(path, relative));
    },
  };

  function ingestTarget(tracker: IngestTarget['tracker']): IngestTarget {
    return { runtime, placement, walls, tracker };
  }

  /** One audit event for the whole export, sent when iteration ends or is abandoned. */
  async function* exportPages(pageSize: number, resumeAfter: string | undefined): AsyncGenerator<ExportPage> {
    const operation = reporter.begin({ operation: 'export', tenant: tenantId, ...(path === undefined ? {} : { path }) });
    let exported = 0;
    let failure: unknown;
    try {
      runtime.assertOpen();
      await operation.tracker.ready();
      let after = resumeAfter;
      do {
        const page = await backend.rawScan({ location, scope: walls, limit: pageSize, ...(after === undefined ? {} : { after }) });
        const records = runtime.verifyOwned(page.records, placement, walls).map(toRecord);
        after = page.next;
        // A page is handed over before the next is read, so memory holds one page at a time.
        yield after === undefined ? { records } : { records, next: after };
        exported += records.length;
      } while (after !== undefined);
    } catch (error) {
      failure = error;
      throw error;
    } finally {
      operation.tracker.note({ records: exported });
      await operation.finish(failure);
    }
  }

  return Object.freeze(scope);
}

function chunksWritten(results: readonly IngestResult[]): number {
  return results.reduce((sum, result) => sum + (result.status === 'unchanged' ? 0 : result.chunks), 0);
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

function toTenantRecord(stored: StoredRecord, placement: TenantPlacement): TenantRecord {
  return { ...tenantFields(stored, placement), vector: stored.vector };
}

/** What a tenant sees of a stored record, its vector aside: user id, text, metadata, tenant-relative source. */
function tenantFields(stored: Omit<StoredRecord, 'vector'>, placement: TenantPlacement): Omit<TenantRecord, 'vector'> {
  const source = placement.tenantSource(stored.source);
  return {
    id: stored.recordId,
    ...(stored.text === undefined ? {} : { text: stored.text }),
    metadata: freezeMetadata(stored.metadata),
    ...(source === undefined ? {} : { source }),
  };
}
