import { InvalidArgumentError } from '../errors.js';
import type { TenantPlacement } from '../isolation-strategy.js';
import { recordIdProblem } from '../record-input.js';
import type { StoreRuntime } from '../store-runtime.js';
import type { ScopeConstraint } from '../vector-backend.js';
import { chunkPlace, documentFilter, headsFilter, userMetadata } from './document-fields.js';
import type { DocumentPage, DocumentsParams, DocumentSummary } from './document-types.js';

interface DocumentTarget {
  runtime: StoreRuntime;
  placement: TenantPlacement;
  walls: ScopeConstraint;
  /** Admission (hooks, rate limits), called once the input is checked and before any I/O. */
  ready: () => Promise<void>;
}

/** One page of the scope's documents, read from their heads (one record per document). */
export async function listDocuments(target: DocumentTarget & { params: DocumentsParams }): Promise<DocumentPage> {
  const { runtime, placement, walls, params } = target;
  if (typeof params !== 'object' || params === null) throw new InvalidArgumentError('documents takes { pageSize?, after? }.');
  const { pageSize = 100, after } = params;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 1000) throw new InvalidArgumentError('pageSize must be a whole number from 1 to 1000.');
  if (after !== undefined && (typeof after !== 'string' || after.length === 0)) {
    throw new InvalidArgumentError('after must be a cursor string from an earlier documents page.');
  }
  await target.ready();
  const page = await runtime.backend.rawScan({ location: placement.location, scope: walls, filter: headsFilter, limit: pageSize, ...(after === undefined ? {} : { after }) });
  const documents = runtime.verifyOwned(page.records, placement, walls).flatMap((head): DocumentSummary[] => {
    const place = chunkPlace(head.metadata);
    if (place === undefined) return [];
    const source = placement.tenantSource(head.source);
    return [{
      documentId: place.documentId,
      version: place.version,
      chunks: place.chunks,
      characters: place.characters,
      metadata: userMetadata(head.metadata),
      ...(source === undefined ? {} : { source }),
    }];
  });
  return page.next === undefined ? { documents } : { documents, next: page.next };
}

/**
 * Removes a document: its head first, which hides every chunk from readers at once, then the
 * chunks. A crash in between leaves chunks no reader sees; deleting again removes them.
 */
export async function removeDocument(target: DocumentTarget & { params: { documentId: string } }): Promise<void> {
  const { runtime, placement, walls, params } = target;
  const documentId = typeof params === 'object' && params !== null ? params.documentId : undefined;
  const problem = recordIdProblem(documentId);
  if (problem !== undefined) throw new InvalidArgumentError(`documentId: ${problem}.`);
  await target.ready();
  const { backend } = runtime;
  const { location } = placement;
  const headId = placement.physicalId(documentId!);
  const [head] = runtime.verifyOwned(await backend.rawGet({ location, scope: walls, ids: [headId] }), placement, walls);
  if (head !== undefined && chunkPlace(head.metadata) === undefined) {
    throw new InvalidArgumentError(`The record ${JSON.stringify(documentId)} was written by upsert, not ingest; delete it with delete({ ids }).`);
  }
  if (head !== undefined) await backend.rawDelete({ location, scope: walls, ids: [headId] });
  await backend.rawDelete({ location, scope: walls, filter: documentFilter(documentId!) });
}
