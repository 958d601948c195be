import { BackendError, type BackendDescription, type VectorBackend } from '@tenantvec/core';
import { compareHits, emptyWhenMissing, filterOperators, VECTOR_BACKEND_CONTRACT_VERSION, type BackendCapabilities, type BackendCountParams, type BackendDeleteParams, type BackendGetParams, type BackendKeywordQueryParams, type BackendQueryParams, type BackendScanParams, type BulkLoadParams, type BulkLoadReport, type CollectionSpec, type ListTenantKeysParams, type Location, type ScanPage, type ScopedParams, type ScopeStats, type ScoredRecord, type StoredRecord } from '@tenantvec/core/backend';
import { toBackendError, UNDEFINED_TABLE } from './pgvector-errors.js';
import { CollectionCatalogue } from './collection-catalogue.js';
import { DeferredIndexBuilds } from './deferred-index-builds.js';
import { IndexBuildQueue } from './index-build-queue.js';
import { buildVectorIndex, type BuildOutcome } from './index-builder.js';
import { KeySizeCache } from './key-size-cache.js';
import { runMigrations } from './migrations.js';
import type { ResolvedSettings } from './pgvector-settings.js';
import { indexSearchSettings, keySizeOf, needsIndex, planSearch, type KeySize, type KeySizeRow, type SearchPlan } from './query-planner.js';
import { toKeywordRecord, toScoredRecord, toStoredRecord, type RecordRow } from './record-rows.js';
import { keywordSearch } from './keyword-statements.js';
import { checkVectors, readVectorType, writeRecords } from './record-writes.js';
import type { Pool } from 'pg';
import type { PGliteDatabase } from './database-drivers.js';
import type { SqlClient } from './sql-client.js';
import { partitionTableName } from './sql-names.js';
import type { ParameterSink } from './sql-parameters.js';
import * as statements from './sql-statements.js';
import { scopeKey, type SqlStatement } from './sql-statements.js';
import { tenantKeyColumn, type Target } from './table-layout.js';

export class PgvectorBackend implements VectorBackend {
  readonly contractVersion = VECTOR_BACKEND_CONTRACT_VERSION;
  readonly name = 'pgvector';
  readonly capabilities: BackendCapabilities;
  private readonly catalogue: CollectionCatalogue;
  private readonly sizes: KeySizeCache;
  /** One vector type per database (the extension's), read once from the first table written. */
  private vectorTypeOid: Promise<number | undefined> | undefined;
  private readonly builds = new IndexBuildQueue();
  private readonly deferred = new DeferredIndexBuilds();
  private migrated: Promise<void> | undefined;

  /** `description` says where the database is (the factories know; no password). */
  constructor(protected readonly sql: SqlClient, private readonly settings: ResolvedSettings, private readonly description: BackendDescription = { kind: sql.engine }) {
    this.catalogue = new CollectionCatalogue(sql, settings);
    this.sizes = new KeySizeCache(settings.keySizeLifetimeMs);
    const names = { maxLength: 63, letterCase: 'lower', separator: '_' } as const;
    this.capabilities = {
      collections: true,
      partitions: true,
      maxBatchSize: settings.maxBatchSize,
      maxTopK: 1000,
      filterOperators,
      collectionNames: names,
      partitionNames: names,
      readYourWrites: true,
      keyword: {
        statistics: 'scope',
        ranking: `bm25 (exact, over the scope, Postgres '${settings.textSearchConfiguration}' text search, GIN-indexed tsvector)`,
        // Postgres reads a search-box query itself: websearch_to_tsquery.
        syntaxes: ['terms', 'websearch'],
      },
    };
  }

  /**
   * The native client, as on every tenantvec backend: the `pg` pool or the PGlite database this
   * backend runs on (awaited, since an embedded engine starts on first use). Statements sent on it
   * bypass the walls — row-level security still holds for the app role, not for the login.
   */
  get client(): Promise<Pool | PGliteDatabase> {
    return this.sql.native();
  }

  describe(): BackendDescription {
    return { ...this.description };
  }
  /** Migrates on first use — before the first read as well as the first write; retried after a failure. */
  ready(): Promise<void> {
    this.migrated ??= runMigrations(this.sql, this.settings).then(
      () => undefined,
      (error: unknown) => {
        this.migrated = undefined;
        throw toBackendError(error, { during: `Migrating the tenantvec schema "${this.settings.schema}"`, target: this.sql.target });
      },
    );
    return this.migrated;
  }

  async ensureCollection({ collection }: { collection: CollectionSpec }): Promise<void> {
    await this.ready();
    await this.guard(() => this.catalogue.ensureCollection(collection));
  }

  async dropCollection({ collection }: { collection: string }): Promise<void> {
    await this.ready();
    await this.guard(() => this.catalogue.dropCollection(collection));
  }

  async listCollections({ prefix }: { prefix: string }) {
    await this.ready();
    return this.guard(() => this.catalogue.listCollections(prefix));
  }

  async ensurePartition({ collection, partition, tenant }: { collection: string; partition: string; tenant: string }): Promise<void> {
    await this.ready();
    await this.guard(() => this.catalogue.ensurePartition(collection, partition, tenant));
  }

  async dropPartition({ collection, partition }: { collection: string; partition: string }): Promise<void> {
    await this.ready();
    await this.guard(() => this.catalogue.dropPartition(collection, partition));
  }

  async listPartitions({ collection }: { collection: string }) {
    await this.ready();
    return this.guard(() => this.catalogue.listPartitions(collection));
  }

  async rawUpsert({ location, records }: { location: Location; records: readonly StoredRecord[] }): Promise<void> {
    if (records.length > this.settings.maxBatchSize) throw new BackendError(`More than ${this.settings.maxBatchSize} records in one request.`);
    await this.ready();
    const target = await this.resolve(location);
    if (target === undefined) throw new BackendError('The location to write to does not exist.');
    const entry = await this.guard(() => this.catalogue.find(location.collection));
    checkVectors(records, location.collection, entry?.dimension);
    if (records.length === 0) return;
    const sizes = await this.guard(async () => writeRecords(this.sql, this.settings, target, records, await this.vectorType(target)));
    for (const { key, size } of sizes) {
      this.sizes.remember(target.table, key, size);
      if (!needsIndex(size, this.settings)) continue;
      if (!this.deferred.defer(target, key)) await this.buildIndex(target, key);
    }
  }

  /** See `VectorBackend.bulkLoad`: every index the load made due is built once, after it. */
  bulkLoad<T>(params: BulkLoadParams<T>): Promise<BulkLoadReport<T>> {
    return this.deferred.around(params, (target, key) => this.buildIndex(target, key));
  }

  private async buildIndex(target: Target, key: string): Promise<BuildOutcome> {
    const outcome = await this.guard(() => this.builds.run(target.table, () => buildVectorIndex(this.sql, this.settings, target, key)));
    // Built here, or skipped because another process holds the build: the next query re-reads.
    this.sizes.forget(target.table, key);
    return outcome;
  }

  async rawQuery(params: BackendQueryParams): Promise<ScoredRecord[]> {
    const includeVectors = params.includeVectors === true;
    const hits = await this.read(params.location, [], async (target) => {
      const key = scopeKey(target, params.scope);
      const known = this.sizes.lookup(target.table, key ?? '') ?? { size: await this.readKeySize(target, key), fresh: true };
      const plan: SearchPlan = planSearch(known.size, this.settings);
      const extra = plan === 'index' ? indexSearchSettings(this.settings) : {};
      const search = statements.selectNearest({ ...this.on(target), scope: params.scope, filter: params.filter, vector: params.vector, topK: params.topK, includeVectors, plan });
      const rows = await this.runScoped<RecordRow>(target, key, search, { extra, refreshSize: !known.fresh });
      return rows.map((row) => toScoredRecord(row, target.metric, includeVectors));
    });
    return hits.sort(compareHits);
  }

  async rawGet({ location, scope, ids }: BackendGetParams): Promise<StoredRecord[]> {
    if (ids.length === 0) return [];
    const found = await this.read(location, [], async (target) =>
      (await this.runScoped<RecordRow>(target, scopeKey(target, scope), statements.selectByIds({ ...this.on(target), scope, ids }))).map(toStoredRecord),
    );
    const byId = new Map(found.map((record) => [record.id, record]));
    // Each row is a fresh object; only an id asked for twice needs a copy the caller cannot share.
    const given = new Set<string>();
    return ids.flatMap((id) => {
      const record = byId.get(id);
      if (record === undefined) return [];
      if (!given.has(id)) {
        given.add(id);
        return [record];
      }
      return [structuredClone(record)];
    });
  }

  async rawDelete(params: BackendDeleteParams): Promise<void> {
    await this.read(params.location, undefined, async (target) => {
      const key = scopeKey(target, params.scope);
      const [size] = await this.runScoped<KeySizeRow>(target, key, statements.deleteRecords({ ...this.on(target), scope: params.scope, filter: params.filter, ...(params.ids === undefined ? {} : { ids: params.ids }) }));
      if (size !== undefined) this.sizes.remember(target.table, key ?? '', keySizeOf(size));
      return undefined;
    });
  }

  async rawKeywordQuery(params: BackendKeywordQueryParams): Promise<ScoredRecord[]> {
    const includeVectors = params.includeVectors === true;
    const hits = await this.read(params.location, [], async (target) => {
      const search = keywordSearch({ ...this.on(target), scope: params.scope, filter: params.filter, text: params.text, ...(params.syntax === undefined ? {} : { syntax: params.syntax }), terms: params.terms, topK: params.topK, includeVectors });
      const rows = await this.runScoped<RecordRow & { score: number | string }>(target, scopeKey(target, params.scope), search);
      return rows.map((row) => toKeywordRecord(row, includeVectors));
    });
    return hits.sort(compareHits).slice(0, params.topK);
  }

  async rawCount(params: BackendCountParams): Promise<number> {
    return this.read(params.location, 0, async (target) => {
      const [row] = await this.runScoped<{ count: string | number }>(target, scopeKey(target, params.scope), statements.countRecords({ ...this.on(target), scope: params.scope, filter: params.filter }));
      return Number(row?.count ?? 0);
    });
  }

  async rawScan(params: BackendScanParams): Promise<ScanPage> {
    const rows = await this.read(params.location, [], async (target) => {
      const page = statements.scanPage({ ...this.on(target), scope: params.scope, filter: params.filter, limit: params.limit, ...(params.after === undefined ? {} : { after: params.after }) });
      return (await this.runScoped<RecordRow>(target, scopeKey(target, params.scope), page)).map(toStoredRecord);
    });
    const records = rows.slice(0, params.limit);
    const last = records.at(-1);
    return rows.length > params.limit && last !== undefined ? { records, next: last.id } : { records };
  }

  /** Bytes as Postgres stores the rows in scope (`pg_column_size`), and the latest write among them. */
  async rawScopeStats(params: ScopedParams): Promise<ScopeStats> {
    return this.read<ScopeStats>(params.location, {}, async (target) => {
      const [row] = await this.runScoped<{ bytes: string | number | null; last: Date | string | null }>(target, scopeKey(target, params.scope), statements.scopeStats({ ...this.on(target), scope: params.scope }));
      if (row === undefined || row.bytes === null) return { bytes: 0 };
      return { bytes: Number(row.bytes), ...(row.last === null ? {} : { lastWriteAt: new Date(row.last) }) };
    });
  }

  /** The admin path: the one read that spans tenants, under the admin role (read-only policy). */
  async rawListTenantKeys({ collection, key, after, limit }: ListTenantKeysParams): Promise<string[]> {
    await this.ready();
    const entry = await this.guard(() => this.catalogue.find(collection));
    if (entry === undefined) return [];
    if (key === 'tenant' && entry.kind !== 'tenant') return [];
    const expression = key === 'tenant' ? 'tenant' : entry.kind === 'paths' ? 'source_root' : 'first_segment';
    return this.read({ collection }, [], async (target) => {
      const admin = statements.adminSetting({ settings: this.settings, parameters: this.sql.parameters() });
      const list = statements.listTenantKeys({ ...this.on(target), key: expression, limit, ...(after === undefined ? {} : { after }) });
      const results = await this.sql.run(admin === undefined ? [list] : [admin, list]);
      return (results.at(-1)?.rows ?? []).map((row) => String(row.key));
    }, { allowPartitioned: true });
  }

  async close(): Promise<void> {
    await this.sql.close();
  }

  /** Binary vectors on a server; PGlite's driver takes them as text. */
  private vectorType(target: Target): Promise<number | undefined> {
    if (this.sql.engine !== 'pg') return Promise.resolve(undefined);
    this.vectorTypeOid ??= readVectorType(this.sql, this.settings.schema, target.table).then((oid) => {
      if (oid === undefined) this.vectorTypeOid = undefined;
      return oid;
    }, (error: unknown) => {
      this.vectorTypeOid = undefined;
      throw error;
    });
    return this.vectorTypeOid;
  }

  /** Schema, table and a fresh parameter sink: what every statement function takes. */
  private on(target: Target): { schema: string; target: Target; parameters: ParameterSink } {
    return { schema: this.settings.schema, target, parameters: this.sql.parameters() };
  }

  /** The key's size on a cache miss: its own round trip, once per key and lifetime. */
  private async readKeySize(target: Target, key: string | undefined): Promise<KeySize | undefined> {
    const [row] = await this.runScoped<KeySizeRow>(target, key, statements.keySize({ schema: this.settings.schema, table: target.table, key: key ?? '', parameters: this.sql.parameters() }));
    const size = keySizeOf(row);
    this.sizes.remember(target.table, key ?? '', size);
    return size;
  }

  /**
   * The statement under the tenant's walls, in one transaction (one round trip on a server):
   * the tenant setting first, then the statement, then — when the cached size is old — the
   * key's size, re-read at no extra round trip.
   */
  private async runScoped<Row>(target: Target, key: string | undefined, statement: SqlStatement, options: { extra?: Record<string, string>; refreshSize?: boolean } = {}): Promise<Row[]> {
    const parameters = () => this.sql.parameters();
    const setting = statements.tenantSetting({ settings: this.settings, key, ...(options.extra === undefined ? {} : { extra: options.extra }), parameters: parameters() });
    const refresh = options.refreshSize === true ? [statements.keySize({ schema: this.settings.schema, table: target.table, key: key ?? '', parameters: parameters() })] : [];
    const results = await this.sql.run([setting, statement, ...refresh]);
    if (refresh.length > 0) this.sizes.remember(target.table, key ?? '', keySizeOf(results[2]?.rows[0] as KeySizeRow | undefined));
    return (results[1]?.rows ?? []) as Row[];
  }

  private guard<T>(work: () => Promise<T>): Promise<T> {
    return work().catch((error: unknown) => Promise.reject(toBackendError(error, { target: this.sql.target })));
  }

  private async resolve(location: Location, options: { allowPartitioned?: boolean } = {}): Promise<Target | undefined> {
    const entry = await this.guard(() => this.catalogue.find(location.collection));
    if (entry === undefined) return undefined;
    const words = entry.textSearchConfiguration === undefined ? {} : { textSearchConfiguration: entry.textSearchConfiguration };
    if (location.partition !== undefined) {
      if (entry.kind !== 'partitioned') return undefined;
      return { table: partitionTableName(location.collection, location.partition), metric: entry.metric, partition: location.partition, ...words };
    }
    if (entry.kind === 'partitioned' && options.allowPartitioned !== true) return undefined;
    const keyColumn = tenantKeyColumn(entry.kind);
    if (keyColumn === undefined) return { table: entry.name, metric: entry.metric, ...words };
    return { table: entry.name, metric: entry.metric, keyColumn, ...(entry.hashPartitions > 1 ? { hashPartitions: entry.hashPartitions } : {}), ...words };
  }

  /**
   * Runs a read (or a scoped delete) on the resolved table. A location that does not exist — never
   * created, or dropped meanwhile by anyone — reads as `empty` rather than failing.
   */
  private async read<T>(
    location: Location,
    empty: T,
    work: (target: Target) => Promise<T>,
    options: { allowPartitioned?: boolean } = {},
  ): Promise<T> {
    await this.ready();
    const target = await this.resolve(location, options);
    if (target === undefined) return empty;
    // A location dropped meanwhile by anyone reads as empty; whatever else failed is a backend error.
    const missing = (error: unknown) => {
      if ((error as { code?: unknown }).code !== UNDEFINED_TABLE) return false;
      if (target.partition === undefined) this.catalogue.forget(location.collection);
      this.sizes.forgetTable(target.table);
      return true;
    };
    try {
      return await emptyWhenMissing({ run: () => work(target), isMissing: missing, empty });
    } catch (error) {
      throw toBackendError(error, { target: this.sql.target });
    }
  }
}
