import {
  BackendError,
  filterOperators,
  VECTOR_BACKEND_CONTRACT_VERSION,
  type BackendCapabilities,
  type BackendCountParams,
  type BackendDeleteParams,
  type BackendGetParams,
  type BackendQueryParams,
  type BackendScanParams,
  type CollectionSpec,
  type ListTenantKeysParams,
  type Location,
  type ScanPage,
  type ScopedParams,
  type ScopeStats,
  type ScoredRecord,
  type StoredRecord,
  type BackendDescription,
  type VectorBackend,
} from '@tenantvec/core';
import { CollectionCatalogue } from './collection-catalogue.js';
import { runMigrations } from './migrations.js';
import type { ResolvedSettings } from './pgvector-settings.js';
import { buildVectorIndex } from './index-builder.js';
import { indexSearchSettings, needsIndex, planSearch, readKeySize, type SearchPlan } from './query-planner.js';
import { compareHits, selectColumns, toScoredRecord, toStoredRecord, vectorLiteral, type RecordRow } from './record-rows.js';
import { checkVectors, writeRecords } from './record-writes.js';
import { enterAdmin, enterTenant } from './row-level-security.js';
import type { SqlClient, SqlTransaction } from './sql-client.js';
import { partitionTableName, qualified, quoteLiteral } from './sql-names.js';
import { SqlParameters } from './sql-parameters.js';
import { scopeConditions, scopeKey } from './scope-conditions.js';
import { metricSql, tenantKeyColumn, type Target } from './table-layout.js';
import { toBackendError } from './backend-errors.js';

/** Postgres's "relation does not exist": a collection or partition dropped since we looked. */
const UNDEFINED_TABLE = '42P01';

export class PgvectorBackend implements VectorBackend {
  readonly contractVersion = VECTOR_BACKEND_CONTRACT_VERSION;
  readonly name = 'pgvector';
  readonly capabilities: BackendCapabilities;
  private readonly catalogue: CollectionCatalogue;
  private migrated: Promise<void> | undefined;

  /** `description` says where the database is (the factories know; no password). */
  constructor(private readonly client: SqlClient, private readonly settings: ResolvedSettings, private readonly description: BackendDescription = { kind: client.engine }) {
    this.catalogue = new CollectionCatalogue(client, settings);
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
    };
  }

  describe(): BackendDescription {
    return { ...this.description };
  }
  /** Migrates on first use — before the first read as well as the first write; retried after a failure. */
  ready(): Promise<void> {
    this.migrated ??= runMigrations(this.client, this.settings).then(
      () => undefined,
      (error: unknown) => {
        this.migrated = undefined;
        throw toBackendError(error, { during: `Migrating the tenantvec schema "${this.settings.schema}"`, target: this.client.target });
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

  async upsert({ location, records }: { location: Location; records: readonly StoredRecord[] }): Promise<void> {
    if (records.length > this.settings.maxBatchSize) throw new BackendError(`More than ${this.settings.maxBatchSize} records in one request.`);
    await this.ready();
    const target = await this.resolve(location);
    if (target === undefined) throw new BackendError('The location to write to does not exist.');
    const entry = await this.guard(() => this.catalogue.find(location.collection));
    checkVectors(records, location.collection, entry?.dimension);
    if (records.length === 0) return;
    const sizes = await this.guard(() => writeRecords(this.client, this.settings, target, records));
    for (const { key, size } of sizes) if (needsIndex(size, this.settings)) await this.guard(() => buildVectorIndex(this.client, this.settings, target, key));
  }

  async query(params: BackendQueryParams): Promise<ScoredRecord[]> {
    const includeVectors = params.includeVectors === true;
    const hits = await this.read(params.location, [], async (target, transaction) => {
      const key = scopeKey(target, params.scope);
      await enterTenant(transaction, this.settings, key);
      const plan: SearchPlan = planSearch(await readKeySize(transaction, this.settings.schema, target.table, key ?? ''), this.settings);
      if (plan === 'index') await enterTenant(transaction, this.settings, key, indexSearchSettings(this.settings));
      const parameters = new SqlParameters();
      const distance = `(embedding ${metricSql[target.metric].operator} ${parameters.add(vectorLiteral(params.vector))}::vector)`;
      const conditions = scopeConditions(target, params.scope, params.filter, parameters);
      // The index plan names the key as the literal of its partial index; the exact plan orders
      // by (distance, id), which no vector index can serve, so it always sorts every row in scope.
      if (plan === 'index' && target.keyColumn !== undefined && key !== undefined) conditions.push(`${target.keyColumn} = ${quoteLiteral(key)}`);
      const order = plan === 'index' ? distance : `${distance}, id`;
      const { rows } = await transaction.query<RecordRow>(
        `SELECT ${selectColumns(target.keyColumn === 'tenant', includeVectors)}, ${distance} AS distance
         FROM ${this.table(target)} WHERE ${conditions.join(' AND ')} ORDER BY ${order} LIMIT ${parameters.add(params.topK)}`,
        parameters.values,
      );
      return rows.map((row) => toScoredRecord(row, target.metric, includeVectors));
    });
    return hits.sort(compareHits);
  }

  async get({ location, scope, ids }: BackendGetParams): Promise<StoredRecord[]> {
    if (ids.length === 0) return [];
    const found = await this.read(location, [], async (target, transaction) => {
      await enterTenant(transaction, this.settings, scopeKey(target, scope));
      const parameters = new SqlParameters();
      const conditions = [...scopeConditions(target, scope, undefined, parameters), `id = ANY(${parameters.add([...new Set(ids)])}::text[])`];
      const { rows } = await transaction.query<RecordRow>(
        `SELECT ${selectColumns(target.keyColumn === 'tenant', true)} FROM ${this.table(target)} WHERE ${conditions.join(' AND ')}`,
        parameters.values,
      );
      return rows.map(toStoredRecord);
    });
    const byId = new Map(found.map((record) => [record.id, record]));
    return ids.flatMap((id) => {
      const record = byId.get(id);
      return record === undefined ? [] : [structuredClone(record)];
    });
  }

  async delete(params: BackendDeleteParams): Promise<void> {
    await this.read(params.location, undefined, async (target, transaction) => {
      const key = scopeKey(target, params.scope);
      await enterTenant(transaction, this.settings, key);
      const parameters = new SqlParameters();
      const conditions = scopeConditions(target, params.scope, params.filter, parameters);
      if (params.ids !== undefined) conditions.push(`id = ANY(${parameters.add([...params.ids])}::text[])`);
      const table = parameters.add(target.table);
      const keyParameter = parameters.add(key ?? '');
      await transaction.query(
        `WITH gone AS (DELETE FROM ${this.table(target)} WHERE ${conditions.join(' AND ')} RETURNING 1)
         UPDATE ${qualified(this.settings.schema, '_vector_indexes')} SET records = greatest(records - (SELECT count(*) FROM gone), 0)
         WHERE table_name = ${table} AND key = ${keyParameter}`,
        parameters.values,
      );
      return undefined;
    });
  }

  async count(params: BackendCountParams): Promise<number> {
    return this.read(params.location, 0, async (target, transaction) => {
      await enterTenant(transaction, this.settings, scopeKey(target, params.scope));
      const parameters = new SqlParameters();
      const conditions = scopeConditions(target, params.scope, params.filter, parameters);
      const { rows } = await transaction.query<{ count: string | number }>(
        `SELECT count(*) AS count FROM ${this.table(target)} WHERE ${conditions.join(' AND ')}`,
        parameters.values,
      );
      return Number(rows[0]?.count ?? 0);
    });
  }

  async scan(params: BackendScanParams): Promise<ScanPage> {
    const rows = await this.read(params.location, [], async (target, transaction) => {
      await enterTenant(transaction, this.settings, scopeKey(target, params.scope));
      const parameters = new SqlParameters();
      const conditions = scopeConditions(target, params.scope, params.filter, parameters);
      if (params.after !== undefined) conditions.push(`id > ${parameters.add(params.after)}`);
      const result = await transaction.query<RecordRow>(
        `SELECT ${selectColumns(target.keyColumn === 'tenant', true)} FROM ${this.table(target)}
         WHERE ${conditions.join(' AND ')} ORDER BY id LIMIT ${parameters.add(params.limit + 1)}`,
        parameters.values,
      );
      return result.rows.map(toStoredRecord);
    });
    const records = rows.slice(0, params.limit);
    const last = records.at(-1);
    return rows.length > params.limit && last !== undefined ? { records, next: last.id } : { records };
  }

  /** Bytes as Postgres stores the rows in scope (`pg_column_size`), and the latest write among them. */
  async scopeStats(params: ScopedParams): Promise<ScopeStats> {
    return this.read<ScopeStats>(params.location, {}, async (target, transaction) => {
      await enterTenant(transaction, this.settings, scopeKey(target, params.scope));
      const parameters = new SqlParameters();
      const conditions = scopeConditions(target, params.scope, undefined, parameters);
      const { rows } = await transaction.query<{ bytes: string | number | null; last: Date | string | null }>(
        `SELECT sum(pg_column_size(stored.*)) AS bytes, max(written_at) AS last FROM ${this.table(target)} AS stored
         WHERE ${conditions.join(' AND ')}`,
        parameters.values,
      );
      const row = rows[0];
      if (row === undefined || row.bytes === null) return { bytes: 0 };
      return { bytes: Number(row.bytes), ...(row.last === null ? {} : { lastWriteAt: new Date(row.last) }) };
    });
  }

  /** The admin path: the one read that spans tenants, under the admin role (read-only policy). */
  async listTenantKeys({ collection, key, after, limit }: ListTenantKeysParams): Promise<string[]> {
    await this.ready();
    const entry = await this.guard(() => this.catalogue.find(collection));
    if (entry === undefined) return [];
    let expression: string;
    if (key === 'tenant') {
      if (entry.kind !== 'tenant') return [];
      expression = 'tenant';
    } else {
      expression = entry.kind === 'paths' ? 'source_root' : `split_part(source, '/', 1)`;
    }
    const parameters = new SqlParameters();
    const conditions = [`${expression} IS NOT NULL`, ...(after === undefined ? [] : [`${expression} > ${parameters.add(after)}`])];
    return this.read({ collection }, [], async (target, transaction) => {
      await enterAdmin(transaction, this.settings);
      const { rows } = await transaction.query<{ key: string }>(
        `SELECT DISTINCT ${expression} AS key FROM ${this.table(target)} WHERE ${conditions.join(' AND ')} ORDER BY key LIMIT ${parameters.add(limit)}`,
        parameters.values,
      );
      return rows.map((row) => row.key);
    }, { allowPartitioned: true });
  }

  async close(): Promise<void> {
    await this.client.close();
  }

  private table(target: Target): string {
    return qualified(this.settings.schema, target.table);
  }

  private guard<T>(work: () => Promise<T>): Promise<T> {
    return work().catch((error: unknown) => Promise.reject(toBackendError(error, { target: this.client.target })));
  }

  private async resolve(location: Location, options: { allowPartitioned?: boolean } = {}): Promise<Target | undefined> {
    const entry = await this.guard(() => this.catalogue.find(location.collection));
    if (entry === undefined) return undefined;
    if (location.partition !== undefined) {
      if (entry.kind !== 'partitioned') return undefined;
      return { table: partitionTableName(location.collection, location.partition), metric: entry.metric, partition: location.partition };
    }
    if (entry.kind === 'partitioned' && options.allowPartitioned !== true) return undefined;
    const keyColumn = tenantKeyColumn(entry.kind);
    if (keyColumn === undefined) return { table: entry.name, metric: entry.metric };
    return { table: entry.name, metric: entry.metric, keyColumn, ...(entry.hashPartitions > 1 ? { hashPartitions: entry.hashPartitions } : {}) };
  }

  /**
   * Runs a read (or a scoped delete) in one transaction. A location that does not exist — never
   * created, or dropped meanwhile by anyone — reads as `empty` rather than failing.
   */
  private async read<T>(
    location: Location,
    empty: T,
    work: (target: Target, transaction: SqlTransaction) => Promise<T>,
    options: { allowPartitioned?: boolean } = {},
  ): Promise<T> {
    await this.ready();
    const target = await this.resolve(location, options);
    if (target === undefined) return empty;
    try {
      return await this.client.transaction((transaction) => work(target, transaction));
    } catch (error) {
      if ((error as { code?: unknown }).code === UNDEFINED_TABLE) {
        if (target.partition === undefined) this.catalogue.forget(location.collection);
        return empty;
      }
      throw toBackendError(error, { target: this.client.target });
    }
  }
}
