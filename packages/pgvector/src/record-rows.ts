import { BackendError, similarityFromDistance, type Metadata, type Metric, type ScoredRecord, type ScoreConvention, type StoredRecord } from '@tenantvec/core/backend';
import { toSql } from 'pgvector';

/** A row as the backend selects it; `embedding` only when vectors were asked for. */
export interface RecordRow {
  id: string;
  record_id: string;
  text: string | null;
  metadata: Metadata | string;
  source: string | null;
  tenant?: string | null;
  embedding?: string;
  distance?: number | string;
}

export function selectColumns(hasTenant: boolean, withVectors: boolean): string {
  return ['id', 'record_id', 'text', 'metadata', 'source', ...(hasTenant ? ['tenant'] : []), ...(withVectors ? ['embedding::text AS embedding'] : [])].join(', ');
}

export function vectorLiteral(vector: readonly number[]): string {
  return toSql([...vector]) as string;
}

/**
 * A vector as pgvector prints it, `[0.1,-2e-05,…]`: shortest round-trip decimals, never NaN or
 * an infinity (the type refuses them), so it is a JSON array, and JSON.parse reads it several
 * times faster than splitting the text and parsing each number.
 */
export function parseVectorText(text: string | null | undefined): number[] {
  if (text === null || text === undefined) throw new BackendError('A record came back without its vector.');
  return JSON.parse(text) as number[];
}

function withoutVector(row: RecordRow): Omit<StoredRecord, 'vector'> {
  const metadata = typeof row.metadata === 'string' ? (JSON.parse(row.metadata) as Metadata) : row.metadata;
  return {
    id: row.id,
    recordId: row.record_id,
    metadata,
    ...(row.text === null ? {} : { text: row.text }),
    ...(row.tenant === null || row.tenant === undefined ? {} : { tenant: row.tenant }),
    ...(row.source === null ? {} : { source: row.source }),
  };
}

export function toStoredRecord(row: RecordRow): StoredRecord {
  return { ...withoutVector(row), vector: parseVectorText(row.embedding) };
}

/** pgvector answers distances: cosine distance, negative inner product, and the L2 distance itself. */
const scoreConvention: ScoreConvention = { cosine: 'distance', dot: 'distance', euclidean: 'distance' };

/** A keyword hit: the row's BM25 score as it came from the statement. */
export function toKeywordRecord(row: RecordRow & { score: number | string }, includeVectors: boolean): ScoredRecord {
  const base = withoutVector(row);
  const score = Number(row.score);
  return includeVectors ? { ...base, vector: parseVectorText(row.embedding), score } : { ...base, score };
}

export function toScoredRecord(row: RecordRow, metric: Metric, includeVectors: boolean): ScoredRecord {
  const score = similarityFromDistance({ metric, value: Number(row.distance), convention: scoreConvention });
  const base = withoutVector(row);
  return includeVectors ? { ...base, vector: parseVectorText(row.embedding), score } : { ...base, score };
}
