import { BatchRejectedError, InvalidArgumentError, type BatchItemFailure, type ErrorCode } from './errors.js';
import type { TenantPlacement } from './isolation-strategy.js';
import { freezeMetadata, metadataProblem } from './metadata.js';
import { recordIdProblem, vectorProblem, type RecordInput } from './record-input.js';
import { isWithinSource, normalizeSource } from './source-path.js';
import type { OperationTracker } from './operation-hooks.js';
import type { StoreRuntime } from './store-runtime.js';
import type { StoredRecord } from './vector-backend.js';

interface Checked {
  input: RecordInput;
  source: string | undefined;
}

/**
 * Validates a whole batch before any I/O and turns it into stored records. Every bad item is
 * reported at once, by position and id, so one round of fixes is enough; nothing is written
 * when any item is bad. Texts without vectors are embedded in as few calls as the embedder allows.
 */
export async function prepareRecords(params: {
  runtime: StoreRuntime;
  placement: TenantPlacement;
  /** The scope's source folder: records written through a narrowed scope must lie in it. */
  path: string | undefined;
  records: readonly RecordInput[];
  /** Told when validation passed (before embedding, which costs), and of tokens used. */
  tracker: OperationTracker;
}): Promise<StoredRecord[]> {
  const { runtime, placement, path, records, tracker } = params;
  const { dimension, metric } = runtime.context;
  if (!Array.isArray(records)) throw new InvalidArgumentError('upsert takes a list of records.');
  if (records.length === 0) throw new InvalidArgumentError('upsert needs at least one record.');
  if (records.length > runtime.limits.maxBatchSize) {
    throw new InvalidArgumentError(`upsert takes at most ${runtime.limits.maxBatchSize} records at once, got ${records.length}.`);
  }

  const failures: BatchItemFailure[] = [];
  const checked: Checked[] = [];
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

  const needEmbedding = checked.filter(({ input }) => input.vector === undefined);
  await tracker.ready({ records: checked.length, texts: needEmbedding.length });
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
