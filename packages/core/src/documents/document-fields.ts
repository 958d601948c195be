import { createHash } from 'node:crypto';
import type { FilterNode, Metadata } from '../filter/filter-types.js';
import { DOCUMENT_FIELD_PREFIX } from '../metadata.js';
import { MAX_RECORD_ID_LENGTH } from '../record-input.js';

/**
 * How a document lives among a tenant's records. Every chunk is a record carrying the fields
 * below in its metadata. Chunk 0 is the document's *head*: its record id is the document id
 * itself, so one single-record write switches a document from one version to the next. Chunks
 * 1… have ids `documentId#position@version` and count only while the head names their version,
 * which is why a reader never sees a document half old, half new, and why a crash mid-ingest
 * leaves the previous version whole.
 */
export const documentFields = {
  document: 'tenantvec_document',
  version: 'tenantvec_version',
  position: 'tenantvec_chunk',
  chunks: 'tenantvec_chunks',
  characters: 'tenantvec_characters',
  hash: 'tenantvec_hash',
} as const;

/** Bytes of metadata the document fields can take, kept free under the store's metadata limit. */
export const DOCUMENT_FIELDS_BYTES = 512;

/** Characters a chunk id adds to its document id: `#` position `@` 16-hex version. */
const CHUNK_ID_SUFFIX = 1 + 6 + 1 + 16;

export const MAX_DOCUMENT_ID_LENGTH = MAX_RECORD_ID_LENGTH - CHUNK_ID_SUFFIX;

/** Most chunks one document may have: positions fit the id suffix. */
export const MAX_DOCUMENT_CHUNKS = 999_999;

export function chunkId(documentId: string, position: number, version: string): string {
  return position === 0 ? documentId : `${documentId}#${position}@${version}`;
}

/** A short, stable digest: versions and chunk hashes. 64 bits is plenty within one document. */
export function digest(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 16);
}

/** Where a stored chunk belongs, read back from its metadata; undefined for a plain record. */
export interface ChunkPlace {
  documentId: string;
  version: string;
  position: number;
  chunks: number;
  characters: number;
}

export function chunkPlace(metadata: Metadata): ChunkPlace | undefined {
  const documentId = metadata[documentFields.document];
  const version = metadata[documentFields.version];
  const position = metadata[documentFields.position];
  const chunks = metadata[documentFields.chunks];
  const characters = metadata[documentFields.characters];
  if (typeof documentId !== 'string' || typeof version !== 'string' || typeof position !== 'number'
    || typeof chunks !== 'number' || typeof characters !== 'number') return undefined;
  return { documentId, version, position, chunks, characters };
}

/** The user's metadata without the document fields: what a document's summary shows. */
export function userMetadata(metadata: Metadata): Metadata {
  return Object.fromEntries(Object.entries(metadata).filter(([key]) => !key.startsWith(DOCUMENT_FIELD_PREFIX)));
}

/** Every record of one document, of any version. */
export function documentFilter(documentId: string): FilterNode {
  return { kind: 'eq', field: documentFields.document, value: documentId };
}

/** The chunks of one document that the named version does not own: what a switch leaves stale. */
export function staleChunksFilter(documentId: string, version: string): FilterNode {
  return { kind: 'and', children: [documentFilter(documentId), { kind: 'ne', field: documentFields.version, value: version }] };
}

/** Document heads only: chunk 0 of every document. */
export const headsFilter: FilterNode = { kind: 'eq', field: documentFields.position, value: 0 };
