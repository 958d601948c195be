import { BatchRejectedError, BatchWriteError, InvalidArgumentError, type BatchItemFailure, type ErrorCode } from './errors.js';
import type { TenantPlacement } from './isolation-strategy.js';
import { freezeMetadata, metadataProblem } from './metadata.js';
import { recordIdProblem, vectorProblem, type RecordInput } from './record-input.js';
import { isWithinSource, normalizeSource } from './source-path.js';
import type { OperationTracker } from './operation-hooks.js';
import type { StoreRuntime } from './store-runtime.js';
import type { StoredRecord } from './vector-backend.js';

/** A record that passed every check, with its source resolved. */
export interface CheckedRecord {
  input: RecordInput;
  source: string | undefined;
}

/**
 * Validates a whole batch before any I/O. Every bad item is reported at once, by position and
 * id, so one round of fixes is enough; nothing is written when any item is bad. Any number of
 * records is accepted: `writeRecords` splits them.
 */
export function checkRecords(params: {
  runtime: StoreRuntime;
  /** The scope's source folder: records written through a narrowed scope must lie in it. */
  path: string | undefined;
  records: readonly RecordInput[];
}): CheckedRecord[] {
  const { runtime, path, records } = params;
  const { dimension, metric } = runtime.context;
  if (!Array.isArray(records)) throw new InvalidArgumentError('upsert takes a list of records.');
  if (records.length === 0) throw new InvalidArgumentError('upsert needs at least one record.');

  const failures: BatchItemFailure[] = [];
  const checked: CheckedRecord[] = [];
  const seen = new Set<string>();
  records.forEach((input: RecordInput, index) => {
    const fail = (code: ErrorCode, message: string) => {
      const id = typeof input?.id === 'string' ? input.id : undefined;
      failures.push(id === undefined ? { index, code, message } : { index, id, code, message });
    };
    if (typeof input !== 'object' || input === null) return fail('INVALID_ARGUMENT', 'a record must be an object');
    const idProblem = recordIdProblem(input.id);
    if (idProblem !== undefined) return fail('INVALID_ARGUMENT', idProblem);
    if (seen.has(input.id)) return fail('INVALID_ARGUMENT', 'the id appears more than once in the batch');
    seen.add(input.id);
    if (input.vector === undefined && input.text === undefined) return fail('INVALID_ARGUMENT', 'a record needs a vector or a text');
    if (input.text !== undefined && typeof input.text !== 'string') return fail('INVALID_ARGUMENT', 'text must be a string');
    if (input.vector !== undefined) {
      const problem = vectorProblem(input.vector, dimension, metric);
      if (problem !== undefined) return fail(problem.includes('dimensions') ? 'DIMENSION_MISMATCH' : 'INVALID_ARGUMENT', problem);
    } else if (runtime.embedder === undefined) {
      return fail('EMBEDDER_REQUIRED', 'the record has text but no vector, and the store has no embedder');
    }
    const metaProblem = input.metadata === undefined ? undefined : metadataProblem(input.metadata, runtime.limits.maxMetadataBytes);
    if (metaProblem !== undefined) return fail('INVALID_ARGUMENT', metaProblem);
    let source: string | undefined;
    try {
      source = input.source === undefined ? path : normalizeSource(input.source);
    } catch (error) {
      return fail('INVALID_SOURCE', (error as Error).message);
    }
    if (path !== undefined && !isWithinSource(source, path)) {
      return fail('INVALID_SOURCE', `source ${JSON.stringify(source)} lies outside this scope's folder ${JSON.stringify(path)}`);
    }
    checked.push({ input, source });
  });
  if (failures.length > 0) throw new BatchRejectedError(failures);
  return checked;
}

/** How many of the records need the embedder. */
export function textsToEmbed(checked: readonly CheckedRecord[]): number {
  return checked.filter(({ input }) => input.vector === undefined).length;
}

/**
 * Embeds and writes checked records in steps of the store's `maxBatchSize` (so memory holds one
 * step's vectors), each step in requests of the backend's own batch limit. A failure says which
 * records were written and which were not; it is the embedder's own error when nothing was.
 */
export async function writeRecords(params: {
  runtime: StoreRuntime;
  placement: TenantPlacement;
  checked: readonly CheckedRecord[];
  /** Told of tokens used. */
  tracker: OperationTracker;
  /** Told after each request, with the records written so far. */
  onWritten?: (written: number) => void;
  /** Send the last record in a request of its own, after every other record was written. */
  lastAlone?: boolean;
}): Promise<number> {
  const { runtime, placement, checked, tracker } = params;
  const { backend } = runtime;
  const { location } = placement;
  const step = runtime.limits.maxBatchSize;
  const request = backend.capabilities.maxBatchSize;
  const writtenIds: string[] = [];
  const failed = (from: number, cause: unknown) => new BatchWriteError({
    writtenIds: [...writtenIds],
    failedIds: checked.slice(from).map(({ input }) => input.id),
    cause,
  });
  for (let start = 0; start < checked.length; start += step) {
    let records: StoredRecord[];
    try {
      records = await buildRecords({ runtime, placement, checked: checked.slice(start, start + step), tracker });
    } catch (cause) {
      if (writtenIds.length === 0) throw cause;
      throw failed(start, cause);
    }
    const final = params.lastAlone === true && start + step >= checked.length ? records.length - 1 : records.length;
    let offset = 0;
    while (offset < records.length) {
      const end = offset >= final ? offset + 1 : Math.min(offset + request, final);
      const batch = records.slice(offset, end);
      try {
        await backend.rawUpsert({ location, records: batch });
      } catch (cause) {
        throw failed(start + offset, cause);
      }
      writtenIds.push(...batch.map((record) => record.recordId));
      params.onWritten?.(writtenIds.length);
      offset = end;
    }
  }
  return writtenIds.length;
}

/** Texts without vectors are embedded in as few calls as the embedder allows. */
async function buildRecords(params: {
  runtime: StoreRuntime;
  placement: TenantPlacement;
  checked: readonly CheckedRecord[];
  tracker: OperationTracker;
}): Promise<StoredRecord[]> {
  const { runtime, placement, checked, tracker } = params;
  const needEmbedding = checked.filter(({ input }) => input.vector === undefined);
  const embedded = needEmbedding.length === 0 ? { vectors: [] } : await runtime.embed(needEmbedding.map(({ input }) => input.text!));
  tracker.note({}, embedded.tokens);
  const embeddings = new Map(needEmbedding.map(({ input }, index) => [input.id, embedded.vectors[index]!]));
  return checked.map(({ input, source }): StoredRecord => {
    const physicalSource = placement.physicalSource(source);
    return {
      id: placement.physicalId(input.id),
      recordId: input.id,
      vector: input.vector === undefined ? embeddings.get(input.id)! : Array.from(input.vector),
      ...(input.text === undefined ? {} : { text: input.text }),
      metadata: freezeMetadata(input.metadata),
      ...(placement.tenantField === undefined ? {} : { tenant: placement.tenantField }),
      ...(physicalSource === undefined ? {} : { source: physicalSource }),
    };
  });
}
