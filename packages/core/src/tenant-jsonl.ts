import { InvalidArgumentError } from './errors.js';
import type { RecordInput, TenantRecord } from './record-input.js';

/**
 * One record per line, the portable form of a tenant's data for exports, imports and data
 * requests: `{"id":"a","vector":[...],"text":"...","metadata":{...},"source":"kb/x"}`.
 * Lines carry no tenant: the scope that imports them decides whose they become.
 */
export function toJsonLine(record: TenantRecord): string {
  return JSON.stringify({
    id: record.id,
    vector: record.vector,
    ...(record.text === undefined ? {} : { text: record.text }),
    metadata: record.metadata,
    ...(record.source === undefined ? {} : { source: record.source }),
  });
}

const allowedKeys = new Set(['id', 'vector', 'text', 'metadata', 'source']);

/** Parses one line; the store validates the record itself when it is written. */
export function fromJsonLine(line: string, lineNumber: number): RecordInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    // JSON.parse's message quotes the line, which may hold a tenant's data: say where only.
    throw new InvalidArgumentError(`Line ${lineNumber} is not valid JSON.`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidArgumentError(`Line ${lineNumber} must be a JSON object.`);
  }
  const unknown = Object.keys(parsed).filter((key) => !allowedKeys.has(key));
  if (unknown.length > 0) {
    throw new InvalidArgumentError(`Line ${lineNumber} has unknown fields ${unknown.join(', ')}; records have id, vector, text, metadata and source.`);
  }
  return parsed as RecordInput;
}

/** Splits a text stream (a file, a request body) into lines, across chunk boundaries. */
export async function* readLines(chunks: AsyncIterable<string | Uint8Array> | Iterable<string>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  let pending = '';
  for await (const chunk of chunks) {
    pending += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    const lines = pending.split('\n');
    pending = lines.pop()!;
    for (const line of lines) yield line;
  }
  pending += decoder.decode();
  if (pending.length > 0) yield pending;
}
