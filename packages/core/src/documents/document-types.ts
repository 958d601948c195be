import type { Metadata } from '../filter/filter-types.js';
import type { SplitterSettings } from './text-splitter.js';

/** A chunk the caller cut (and maybe embedded) itself. */
export interface ChunkInput {
  text: string;
  vector?: readonly number[] | Float32Array;
}

/** One document for `ingest`: its text (cut by the splitter) or its chunks, exactly one of them. */
export type IngestParams = {
  /** The caller's id for the document, stable across syncs: a file path, a URL, a database key. */
  documentId: string;
  /** Given to every chunk. */
  metadata?: Metadata;
  /** The tenant folder every chunk lies in (within the scope's own folder, when narrowed). */
  source?: string;
  /** How `text` is cut. @default { chunkTokens: 400, overlapTokens: 50 } */
  splitter?: SplitterSettings;
} & (
  | { text: string; chunks?: never }
  | { chunks: readonly (string | ChunkInput)[]; text?: never }
);

/**
 * What `ingest` did to a document. `unchanged`: the stored version has the same content hash, so
 * nothing was embedded or written.
 */
export interface IngestResult {
  documentId: string;
  status: 'created' | 'updated' | 'unchanged';
  /** The content hash that names the stored version. */
  version: string;
  chunks: number;
  /** Chunks sent to the embedder (0 when unchanged or when every chunk came with a vector). */
  embedded: number;
  /** Chunks of earlier or abandoned versions removed (the head, chunk 0, is overwritten in place). */
  removed: number;
}

export interface IngestProgress {
  documents: number;
  documentsDone: number;
  /** Chunks written of the document in progress. */
  chunksWritten: number;
  /** Its chunk count. */
  chunks: number;
}

export interface IngestManyParams {
  documents: readonly IngestParams[];
  /** Called after each write and after each document. */
  onProgress?: (progress: IngestProgress) => void;
}

/** One document as `documents()` lists it. */
export interface DocumentSummary {
  documentId: string;
  version: string;
  chunks: number;
  /** Characters of the document's text (the sum of its chunks' when the caller cut them). */
  characters: number;
  metadata: Metadata;
  source?: string;
}

export interface DocumentsParams {
  /** @default 100 */
  pageSize?: number;
  /** A `next` cursor from an earlier page. */
  after?: string;
}

export interface DocumentPage {
  documents: DocumentSummary[];
  /** Pass back as `after` for the next page; absent on the last page. */
  next?: string;
}
