import type { FilterNode, FilterOperator, Metadata } from './filter/filter-types.js';
import type { NameRules } from './physical-name.js';
import type { Metric } from './similarity.js';
import type { KeywordSyntax } from './tenant-scope-types.js';
import type { Bm25Formula } from './keyword/bm25.js';

export const VECTOR_BACKEND_CONTRACT_VERSION = 2 as const;

/** What a backend can do natively. Strategies check these at store creation, not at first use. */
export interface BackendCapabilities {
  /** Many collections can live side by side (collection-per-tenant needs it). */
  collections: boolean;
  /** A collection can hold named partitions, each read on its own (namespace-per-tenant needs it). */
  partitions: boolean;
  /** Most records one write request may carry; the store splits larger batches. */
  maxBatchSize: number;
  /** Largest `topK` one query may ask for. */
  maxTopK: number;
  /** Operators the filter translator handles; others are refused before any I/O. */
  filterOperators: readonly FilterOperator[];
  /** Rules for physical collection and partition names. */
  collectionNames: NameRules;
  partitionNames: NameRules;
  /** A write is visible to the next read (false for eventually consistent services). */
  readYourWrites: boolean;
  /** Keyword search (`rawKeywordQuery`); absent when the backend has none. */
  keyword?: KeywordCapability;
}

/**
 * Which records a keyword score's term statistics (document count, document frequency, average
 * length) come from. It decides whether one tenant's scores can move with another's documents:
 * - `scope`: only the records within the query's walls. Isolated under every strategy.
 * - `partition`: the whole partition (or the whole collection when it has none). Isolated when
 *   a tenant has its partition or collection to itself.
 * - `collection`: the whole collection. Isolated only when a tenant has the collection to itself.
 */
export type TermStatisticsScope = 'scope' | 'partition' | 'collection';

export interface KeywordCapability {
  statistics: TermStatisticsScope;
  /** What ranks keyword hits, for documentation and reports: `bm25`, `bm25 (Weaviate)`... */
  ranking: string;
  /**
   * The BM25 statistics the scores use, when they differ from exact BM25 over the statistics'
   * corpus (a fixed average length, no IDF). @default exact: measured average length, with IDF
   */
  formula?: Bm25Formula;
  /**
   * The collection metrics keyword search works with, where the backend's own index allows
   * sparse queries only for some (Pinecone: `dotproduct` indexes). @default every metric
   */
  metrics?: readonly Metric[];
  /** How query texts may be read (`keywordSyntax` of a query). @default ['terms'] */
  syntaxes?: readonly KeywordSyntax[];
}

export interface BulkLoadParams<T> {
  load: () => Promise<T>;
  /** Called after each deferred index build, with how many of how many are done. */
  onIndexBuild?: (progress: { done: number; total: number }) => void;
}

export interface BulkLoadReport<T> {
  /** What `load` returned. */
  value: T;
  loadSeconds: number;
  /** Indexes built (or rebuilt) after the load — not those found current or being built elsewhere — and the time all builds took. */
  indexesBuilt: number;
  indexBuildSeconds: number;
}

/** One collection: a table, an index, a Qdrant or Weaviate collection. */
export interface CollectionSpec {
  name: string;
  dimension: number;
  metric: Metric;
  /** Records carry a tenant field that must be stored and indexed for equality. */
  tenantField: boolean;
  /** The collection is split into partitions (namespace-per-tenant). */
  partitioned: boolean;
  /** The tenant that owns the whole collection, kept so tenants can be listed back. */
  tenant?: string;
}

export interface CollectionInfo {
  name: string;
  tenant?: string;
}

export interface PartitionInfo {
  name: string;
  tenant: string;
}

/** Where records live: a collection, and a partition of it when it is partitioned. */
export interface Location {
  collection: string;
  partition?: string;
}

/**
 * The walls of a tenant scope. A backend applies every present part to every read, count and
 * delete, ANDed with any filter — it is never merged into or replaced by the caller's filter.
 */
export interface ScopeConstraint {
  /** Only records whose tenant field equals this. */
  tenant?: string;
  /** Only records whose source lies in this folder, segment by segment (see `isWithinSource`). */
  sourcePrefix?: string;
}

/** A record as a backend stores it. */
export interface StoredRecord {
  /** Physical id: unique within the location (prefixed by the tenant in shared locations). */
  id: string;
  /** The id the tenant gave, unique within the tenant. */
  recordId: string;
  vector: readonly number[];
  text?: string;
  metadata: Metadata;
  tenant?: string;
  /** Physical source path; backends must make `sourcePrefix` matching exact and index-backed. */
  source?: string;
}

/** A query hit; `vector` is present only when the query asked for vectors. */
export interface ScoredRecord extends Omit<StoredRecord, 'vector'> {
  vector?: readonly number[];
  /** Similarity, higher is better (see `Metric`). */
  score: number;
}

export interface ScopedParams {
  location: Location;
  scope: ScopeConstraint;
}

export interface BackendQueryParams extends ScopedParams {
  vector: readonly number[];
  topK: number;
  filter?: FilterNode;
  includeVectors?: boolean;
}

/** A keyword search; the score of a hit is its keyword score (BM25 or the native ranking), higher is better. */
export interface BackendKeywordQueryParams extends ScopedParams {
  /** The query as the user wrote it (for backends whose own analyser reads it). */
  text: string;
  /** The query's distinct terms by core's analyser (`queryTerms`; `websearchTerms` with `websearch`), never empty. */
  terms: readonly string[];
  /**
   * `websearch`: only records that `text` matches as a web-search query (all words, phrases,
   * exclusions, `or`) are hits, ranked by BM25 over `terms`; statistics as for `terms`. Sent only
   * to backends whose capability lists it. @default 'terms'
   */
  syntax?: KeywordSyntax;
  topK: number;
  filter?: FilterNode;
  includeVectors?: boolean;
}

export interface BackendGetParams extends ScopedParams {
  ids: readonly string[];
}

export interface BackendCountParams extends ScopedParams {
  filter?: FilterNode;
}

export interface BackendScanParams extends ScopedParams {
  filter?: FilterNode;
  /** The `next` of the previous page (opaque: only the backend that made it reads it). */
  after?: string;
  limit: number;
}

export interface ListTenantKeysParams {
  collection: string;
  key: 'tenant' | 'source-root';
  after?: string;
  limit: number;
}

export type BackendDeleteParams = ScopedParams & (
  | { ids: readonly string[]; filter?: never }
  /** With no filter, everything within the scope is deleted. */
  | { ids?: never; filter?: FilterNode }
);

export interface ScopeStats {
  /** Bytes the records take, as the backend measures them. */
  bytes?: number;
  /** When a record in scope was last written. */
  lastWriteAt?: Date;
}

export interface ScanPage {
  records: StoredRecord[];
  /** An opaque cursor to pass back as `after` for the next page; absent on the last page. */
  next?: string;
}

/**
 * Where a backend's data is, for the first line of a report: enough to tell one database from
 * another (host, database, folder, URL), never a password or an API key.
 */
export interface BackendDescription {
  /** `memory`, `pglite`, `pgvector`, `qdrant`, `pinecone`, `weaviate`... */
  kind: string;
  /** Server host and port, where there is a server. */
  host?: string;
  port?: number;
  /** Database (Postgres) or index (Pinecone) the data lives in. */
  database?: string;
  /** Folder of an embedded database; absent with `inMemory`. */
  dataDir?: string;
  /** Base URL of a service, without credentials. */
  url?: string;
  /** Nothing outlives the process. */
  inMemory?: boolean;
  /** Anything else a reader needs to tell where this is (a client handed in, a schema). */
  detail?: string;
}

/** One line for people: `pgvector postgres://127.0.0.1:5432/app`, `pglite in memory`. */
export function describeBackendLine(description: BackendDescription): string {
  const { kind, host, port, database, dataDir, url, inMemory, detail } = description;
  const parts = [kind];
  if (host !== undefined) parts.push(`${host}${port === undefined ? '' : `:${port}`}${database === undefined ? '' : `/${database}`}`);
  else if (database !== undefined) parts.push(database);
  if (url !== undefined) parts.push(url);
  if (dataDir !== undefined) parts.push(`in ${dataDir}`);
  if (inMemory === true) parts.push('in memory');
  if (detail !== undefined) parts.push(`(${detail})`);
  return parts.join(' ');
}

/**
 * Version 2 of what a database adapter implements. Users never call it: they use a
 * `TenantScope`, which always supplies a location and a scope. Its data methods say so by name
 * (`raw*`): they take the walls as given, so `rawQuery({ scope: {} })` reads across tenants.
 *
 * Reads (`rawQuery`, `rawGet`, `rawCount`, `rawScan`, `rawListTenantKeys`) of a collection or partition that
 * does not exist return nothing rather than failing, so a tenant that never wrote reads as empty
 * and reads never create storage.
 */
export interface VectorBackend {
  readonly contractVersion: typeof VECTOR_BACKEND_CONTRACT_VERSION;
  /** Short name for messages and reports: `memory`, `pgvector`, `qdrant`... */
  readonly name: string;
  readonly capabilities: BackendCapabilities;

  /** Creates the collection when missing (idempotent; concurrent callers are safe). */
  ensureCollection(params: { collection: CollectionSpec }): Promise<void>;
  /** Removes a collection and everything in it; a missing one is not an error. */
  dropCollection(params: { collection: string }): Promise<void>;
  /** Collections whose names start with `prefix`. */
  listCollections(params: { prefix: string }): Promise<CollectionInfo[]>;

  ensurePartition(params: { collection: string; partition: string; tenant: string }): Promise<void>;
  dropPartition(params: { collection: string; partition: string }): Promise<void>;
  listPartitions(params: { collection: string }): Promise<PartitionInfo[]>;

  /** Inserts or replaces records by physical id; all of them or none. */
  rawUpsert(params: { location: Location; records: readonly StoredRecord[] }): Promise<void>;
  /**
   * The `topK` most similar records in scope that pass the filter, best first. Exact backends
   * break ties by physical id; approximate ones may order ties as they like.
   */
  rawQuery(params: BackendQueryParams): Promise<ScoredRecord[]>;
  /**
   * Optional, with `capabilities.keyword`: the `topK` records in scope that pass the filter and
   * match at least one term, best keyword score first. Term statistics come from the records
   * `capabilities.keyword.statistics` says, never narrowed by the caller's filter.
   */
  rawKeywordQuery?(params: BackendKeywordQueryParams): Promise<ScoredRecord[]>;
  rawGet(params: BackendGetParams): Promise<StoredRecord[]>;
  rawDelete(params: BackendDeleteParams): Promise<void>;
  rawCount(params: BackendCountParams): Promise<number>;
  /** Every record in scope exactly once, a page at a time, in an order stable across pages. */
  rawScan(params: BackendScanParams): Promise<ScanPage>;
  /**
   * Distinct tenant keys in a shared collection, sorted, after `after`: the tenant field's
   * values, or for `source-root` the first segment of the source path.
   */
  rawListTenantKeys(params: ListTenantKeysParams): Promise<string[]>;
  /**
   * Optional: storage figures for the records in scope, where the backend can tell them
   * cheaply. Absent figures are simply not reported.
   */
  rawScopeStats?(params: ScopedParams): Promise<ScopeStats>;
  /** Optional: where the data is (no I/O, no secret), so a report can say which store it touched. */
  describe?(): BackendDescription;
  /**
   * Optional: runs `load` with index upkeep deferred. Writes made inside `load` (followed through
   * its awaits; other callers' writes are not held back) start or rebuild no index; when it ends —
   * failed or not, since its writes committed — each index they made due is built once, at its
   * full size. Reads stay correct meanwhile: a key without its index is searched exactly. A load
   * that throws rejects with its own error; otherwise a build that failed is reported by
   * rejecting, after every other build was tried.
   */
  bulkLoad?<T>(params: BulkLoadParams<T>): Promise<BulkLoadReport<T>>;

  close(): Promise<void>;
}
