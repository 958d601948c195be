import { BatchWriteError, EmbedderRequiredError, InvalidArgumentError, InvalidSourceError } from '../errors.js';
import type { Metadata } from '../filter/filter-types.js';
import type { TenantPlacement } from '../isolation-strategy.js';
import { DOCUMENT_FIELD_PREFIX, metadataProblem } from '../metadata.js';
import type { OperationTracker } from '../operation-hooks.js';
import { recordIdProblem, type RecordInput } from '../record-input.js';
import { checkRecords, textsToEmbed, writeRecords, type CheckedRecord } from '../record-writes.js';
import { isWithinSource, normalizeSource } from '../source-path.js';
import type { StoreRuntime } from '../store-runtime.js';
import type { ScopeConstraint } from '../vector-backend.js';
import {
  chunkId,
  chunkPlace,
  digest,
  documentFields,
  documentFilter,
  DOCUMENT_FIELDS_BYTES,
  MAX_DOCUMENT_CHUNKS,
  MAX_DOCUMENT_ID_LENGTH,
  staleChunksFilter,
} from './document-fields.js';
import type { ChunkInput, IngestParams, IngestProgress, IngestResult } from './document-types.js';
import { resolveSplitter, splitText } from './text-splitter.js';

/** A document checked, cut and hashed: everything ingest needs before its first I/O. */
export interface PlannedDocument {
  documentId: string;
  version: string;
  /** Chunk 0 (the head) first. */
  checked: CheckedRecord[];
}

const ingestKeys = new Set(['documentId', 'text', 'chunks', 'metadata', 'source', 'splitter']);

/** Validates, cuts and hashes one document; a typed error names what is wrong, before any I/O. */
export function planDocument(params: { runtime: StoreRuntime; path: string | undefined; document: IngestParams }): PlannedDocument {
  const { runtime, path, document } = params;
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    throw new InvalidArgumentError('ingest takes a document: { documentId, text | chunks, metadata?, source?, splitter? }.');
  }
  const unknown = Object.keys(document).filter((key) => !ingestKeys.has(key));
  if (unknown.length > 0) throw new InvalidArgumentError(`ingest does not know ${unknown.join(', ')}.`);
  const { documentId } = document;
  const idProblem = recordIdProblem(documentId);
  if (idProblem !== undefined) throw new InvalidArgumentError(`documentId: ${idProblem}.`);
  if (documentId.length > MAX_DOCUMENT_ID_LENGTH) {
    throw new InvalidArgumentError(`documentId must be at most ${MAX_DOCUMENT_ID_LENGTH} characters (chunk ids add a suffix).`);
  }
  const hasText = document.text !== undefined;
  if (hasText === (document.chunks !== undefined)) throw new InvalidArgumentError('ingest takes exactly one of text or chunks.');
  if (!hasText && document.splitter !== undefined) throw new InvalidArgumentError('splitter applies to text; chunks are stored as given.');
  const metadata = document.metadata ?? {};
  const problem = metadataProblem(metadata, runtime.limits.maxMetadataBytes - DOCUMENT_FIELDS_BYTES)
    ?? Object.keys(metadata).filter((key) => key.toLowerCase().startsWith(DOCUMENT_FIELD_PREFIX)).map((key) => `key ${JSON.stringify(key)} is one ingest writes itself`)[0];
  if (problem !== undefined) throw new InvalidArgumentError(`metadata: ${problem}.`);
  const source = documentSource(document.source, path);

  const chunks = hasText ? cutText(runtime, document) : givenChunks(document.chunks!);
  if (chunks.length > MAX_DOCUMENT_CHUNKS) throw new InvalidArgumentError(`a document may have at most ${MAX_DOCUMENT_CHUNKS} chunks, this one has ${chunks.length}.`);
  if (runtime.embedder === undefined && chunks.some((chunk) => chunk.vector === undefined)) {
    throw new EmbedderRequiredError('ingest embeds chunks given without a vector, and this store has no embedder.');
  }
  const characters = hasText ? document.text!.length : chunks.reduce((sum, chunk) => sum + chunk.text.length, 0);
  const version = digest(JSON.stringify([
    chunks.map((chunk) => [chunk.text, chunk.vector === undefined ? null : Array.from(chunk.vector)]),
    Object.entries(metadata).sort(([left], [right]) => (left < right ? -1 : 1)),
    source ?? null,
  ]));
  const records = chunks.map((chunk, position): RecordInput => ({
    id: chunkId(documentId, position, version),
    text: chunk.text,
    ...(chunk.vector === undefined ? {} : { vector: chunk.vector }),
    metadata: {
      ...metadata,
      [documentFields.document]: documentId,
      [documentFields.version]: version,
      [documentFields.position]: position,
      [documentFields.chunks]: chunks.length,
      [documentFields.characters]: characters,
      [documentFields.hash]: digest(chunk.text),
    } satisfies Metadata,
    ...(source === undefined ? {} : { source }),
  }));
  return { documentId, version, checked: checkRecords({ runtime, path, records }) };
}

function documentSource(source: unknown, path: string | undefined): string | undefined {
  if (source === undefined) return path;
  const normalized = normalizeSource(source as string);
  if (path !== undefined && !isWithinSource(normalized, path)) {
    throw new InvalidSourceError(`Source ${JSON.stringify(normalized)} lies outside this scope's folder ${JSON.stringify(path)}.`);
  }
  return normalized;
}

function cutText(runtime: StoreRuntime, document: IngestParams): ChunkInput[] {
  if (typeof document.text !== 'string' || document.text.trim().length === 0) throw new InvalidArgumentError('text must be a non-empty string.');
  const splitter = resolveSplitter(document.splitter);
  const countTokens = runtime.embedder?.countTokens?.bind(runtime.embedder);
  return splitText({ text: document.text, ...splitter, ...(countTokens === undefined ? {} : { countTokens }) }).map((text) => ({ text }));
}

function givenChunks(chunks: unknown): ChunkInput[] {
  if (!Array.isArray(chunks) || chunks.length === 0) throw new InvalidArgumentError('chunks must be a non-empty list.');
  return chunks.map((chunk: unknown, index) => {
    const given = typeof chunk === 'string' ? { text: chunk } : chunk;
    if (typeof given !== 'object' || given === null || Object.keys(given).some((key) => key !== 'text' && key !== 'vector')) {
      throw new InvalidArgumentError(`chunks[${index}] must be a string or { text, vector? }.`);
    }
    const { text } = given as ChunkInput;
    if (typeof text !== 'string' || text.trim().length === 0) throw new InvalidArgumentError(`chunks[${index}] needs a non-empty text.`);
    return given as ChunkInput;
  });
}

/** What ingesting a planned document touches. */
export interface IngestTarget {
  runtime: StoreRuntime;
  placement: TenantPlacement;
  walls: ScopeConstraint;
  tracker: OperationTracker;
}

/**
 * Writes one planned document so that readers see the old version whole until one write makes
 * the new one whole: (1) the new version's chunks after the head, invisible while the head names
 * the old version; (2) the head, alone, which switches; (3) every chunk of another version. A
 * crash after (1) leaves the old version and orphans a rerun overwrites; after (2), stale chunks
 * no reader counts, which a rerun removes. An unchanged document costs one read, or two when a
 * crashed run left stale chunks.
 */
export async function ingestPlanned(target: IngestTarget, planned: PlannedDocument, onWritten?: (written: number) => void): Promise<IngestResult> {
  const { runtime, placement, walls, tracker } = target;
  const { backend } = runtime;
  const { location } = placement;
  const { documentId, version, checked } = planned;
  const [head] = runtime.verifyOwned(await backend.rawGet({ location, scope: walls, ids: [placement.physicalId(documentId)] }), placement, walls);
  const stored = head === undefined ? undefined : chunkPlace(head.metadata);
  if (head !== undefined && stored === undefined) {
    throw new InvalidArgumentError(`The record ${JSON.stringify(documentId)} was written by upsert, not ingest; delete it or ingest under another documentId.`);
  }
  const result = { documentId, version, chunks: checked.length };
  if (stored?.version === version) {
    const records = await backend.rawCount({ location, scope: walls, filter: documentFilter(documentId) });
    const removed = records > checked.length ? await removeStale(target, planned) : 0;
    return { ...result, status: 'unchanged', embedded: 0, removed };
  }
  // The head goes last and alone: the write that switches versions must follow every other.
  await writeRecords({ runtime, placement, checked: [...checked.slice(1), checked[0]!], tracker, lastAlone: true, ...(onWritten === undefined ? {} : { onWritten }) });
  const removed = await removeStale(target, planned);
  return { ...result, status: stored === undefined ? 'created' : 'updated', embedded: textsToEmbed(checked), removed };
}

async function removeStale(target: IngestTarget, planned: PlannedDocument): Promise<number> {
  const { backend } = target.runtime;
  const { location } = target.placement;
  const filter = staleChunksFilter(planned.documentId, planned.version);
  const stale = await backend.rawCount({ location, scope: target.walls, filter });
  if (stale > 0) await backend.rawDelete({ location, scope: target.walls, filter });
  return stale;
}

/** Ingests documents one after another, telling progress; a failure says which documents are done. */
export async function ingestDocuments(target: IngestTarget, planned: readonly PlannedDocument[], onProgress?: (progress: IngestProgress) => void): Promise<IngestResult[]> {
  const results: IngestResult[] = [];
  for (const document of planned) {
    const progress = (chunksWritten: number) => onProgress?.({ documents: planned.length, documentsDone: results.length, chunksWritten, chunks: document.checked.length });
    try {
      results.push(await ingestPlanned(target, document, progress));
    } catch (cause) {
      if (planned.length === 1) throw cause;
      throw new BatchWriteError({
        writtenIds: results.map((result) => result.documentId),
        failedIds: planned.slice(results.length).map(({ documentId }) => documentId),
        cause,
      });
    }
    onProgress?.({ documents: planned.length, documentsDone: results.length, chunksWritten: document.checked.length, chunks: document.checked.length });
  }
  return results;
}
