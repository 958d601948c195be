import { BatchRejectedError, InvalidArgumentError } from './errors.js';
import type { RecordInput } from './record-input.js';
import { fromJsonLine, readLines } from './tenant-jsonl.js';
import type { TenantScope } from './tenant-scope.js';

export interface ImportTenantParams {
  /** The scope the records become part of. */
  scope: TenantScope;
  /** JSONL text in chunks of any size (a file stream, `[text]`), or records already parsed. */
  from:
    | { jsonl: AsyncIterable<string | Uint8Array> | Iterable<string> }
    | { records: AsyncIterable<RecordInput> | Iterable<RecordInput> };
  /** Records per upsert. @default 500 */
  batchSize?: number;
  /** Called after each batch with the records written so far. */
  onProgress?: (imported: number) => void;
}

export interface ImportReport {
  imported: number;
}

/**
 * Loads records into a tenant, idempotently: an import is a series of upserts by id, so
 * running it twice, or resuming a failed one from the start, leaves the same records. A bad
 * line stops the import with its line number; batches before it are written.
 */
export async function importTenant(params: ImportTenantParams): Promise<ImportReport> {
  const batchSize = params.batchSize ?? 500;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new InvalidArgumentError('batchSize must be a positive whole number.');
  let imported = 0;
  let batch: Numbered[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    try {
      await params.scope.upsert(batch.map(({ record }) => record));
    } catch (error) {
      // Point at lines (or positions in the input) rather than batch positions: the input is
      // what the operator can fix.
      if (BatchRejectedError.isInstance(error)) {
        throw new BatchRejectedError(error.failures.map((failure) => {
          const { position, line } = batch[failure.index]!;
          return { ...failure, index: position, message: `${line === undefined ? `record ${position}` : `line ${line}`}: ${failure.message}` };
        }));
      }
      throw error;
    }
    imported += batch.length;
    batch = [];
    params.onProgress?.(imported);
  };
  for await (const numbered of records(params.from)) {
    batch.push(numbered);
    if (batch.length === batchSize) await flush();
  }
  await flush();
  return { imported };
}

interface Numbered {
  record: RecordInput;
  /** Position among all records of the input, from 0. */
  position: number;
  /** Line of the JSONL input, from 1, when the input was JSONL. */
  line?: number;
}

async function* records(from: ImportTenantParams['from']): AsyncGenerator<Numbered> {
  let position = 0;
  if ('records' in from) {
    for await (const record of from.records) yield { record, position: position++ };
    return;
  }
  let line = 0;
  for await (const text of readLines(from.jsonl)) {
    line += 1;
    if (text.trim().length > 0) yield { record: fromJsonLine(text, line), position: position++, line };
  }
}
