import type { Collapse } from './documents/current-version-hits.js';
import type { DocumentPage, DocumentsParams, IngestManyParams, IngestParams, IngestResult } from './documents/document-types.js';
import type { Filter } from './filter/filter-types.js';
import type { Fusion } from './keyword/fusion.js';
import type { QueryMatch, RecordInput, TenantRecord } from './record-input.js';

/** What a tenant scope takes and gives: the application-facing shape of `TenantScope`. */

interface QueryOptions {
  /** @default 10 */
  topK?: number;
  /**
   * `vector`: nearest neighbours. `keyword`: BM25 (or the backend's text ranking) over the
   * records' text. `hybrid`: both, fused (see `fusion`). Keyword and hybrid need `text`.
   * @default 'vector'
   */
  mode?: QueryMode;
  /**
   * Keyword and hybrid only: how the text is read. `terms`: its words, any of which may match
   * (BM25 ranks documents holding more of them, and rarer ones, higher). `websearch`: a search-box
   * query as Postgres's `websearch_to_tsquery` reads it — every word must match, `"quoted words"`
   * as a phrase, `-word` excluded, `or` between alternatives — ranked by BM25 over its words.
   * Only backends whose `capabilities.keyword.syntaxes` list it take `websearch`.
   * @default 'terms'
   */
  keywordSyntax?: KeywordSyntax;
  /** Hybrid only. @default { method: 'rrf', k: 60 } */
  fusion?: Fusion;
  /**
   * Hybrid only: how many hits each branch contributes before fusion.
   * @default max(50, 4 × topK), at most the backend's maxTopK
   */
  candidates?: number;
  /** Metadata conditions, always ANDed under the scope's walls. */
  filter?: Filter;
  /** @default false */
  includeVectors?: boolean;
  /** `document`: at most one hit (the best chunk) per ingested document. */
  collapse?: Collapse;
}

export type QueryMode = 'vector' | 'keyword' | 'hybrid';

export type KeywordSyntax = 'terms' | 'websearch';

/**
 * Vector mode takes a vector or a text to embed; keyword mode a text; hybrid a text, and a
 * vector when the caller embedded the text already.
 */
export type QueryParams = QueryOptions & (
  | { vector: readonly number[] | Float32Array; text?: string }
  | { text: string; vector?: never }
);

/** Exactly one way of choosing what to delete. `source` is a folder of the tenant, as in records. */
export type DeleteParams =
  | { ids: readonly string[]; filter?: never; source?: never }
  | { filter: Filter; ids?: never; source?: never }
  | { source: string; ids?: never; filter?: never };

export interface ExportParams {
  /** @default 256 */
  pageSize?: number;
  /** A `next` cursor from an earlier page, to resume after it. */
  after?: string;
}

export interface ExportPage {
  records: TenantRecord[];
  /** Resume after this page with `{ after: next }`; absent on the last page. */
  next?: string;
}

export interface TenantStats {
  tenantId: string;
  path?: string;
  records: number;
  /** Where the backend measures it. */
  bytes?: number;
  /** Where the backend records it. */
  lastWriteAt?: Date;
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
  /** Any number of records: validated as a whole, then embedded and written in batches. */
  upsert(records: readonly RecordInput[]): Promise<{ upserted: number }>;
  /**
   * Chunks, embeds and writes one document, replacing its earlier version so that readers see
   * one whole version at any moment; an unchanged document costs no embedding and no write.
   */
  ingest(document: IngestParams): Promise<IngestResult>;
  /** Many documents, one after another, with progress; a failure names the documents done. */
  ingestMany(params: IngestManyParams): Promise<{ results: IngestResult[] }>;
  /** A page of the scope's documents, with chunk counts and sizes. */
  documents(params?: DocumentsParams): Promise<DocumentPage>;
  /** Removes a document's every chunk, of every version. */
  deleteDocument(params: { documentId: string }): Promise<void>;
  query(params: QueryParams): Promise<QueryMatch[]>;
  /** The record, or null when this scope holds no record with that id (whoever else might). */
  get(id: string): Promise<TenantRecord | null>;
  getMany(ids: readonly string[]): Promise<TenantRecord[]>;
  delete(params: DeleteParams): Promise<void>;
  count(params?: { filter?: Filter }): Promise<number>;
  stats(): Promise<TenantStats>;
  /** Every record of the scope, a page at a time under the hood. */
  export(params?: ExportParams): AsyncIterable<TenantRecord>;
  /**
   * The same, a page at a time with a cursor: persist `next` after handling a page and pass it
   * back as `after` to resume an interrupted export where it stopped.
   */
  exportPages(params?: ExportParams): AsyncIterable<ExportPage>;
  /** A narrower scope: only records whose source lies in `subpath` (relative to this scope). */
  scope(subpath: string): TenantScope;
}
