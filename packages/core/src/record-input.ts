import type { Metadata } from './filter/filter-types.js';
import type { BranchPlaces } from './keyword/fusion.js';
import type { Metric } from './similarity.js';

/** Longest record id, in characters; long enough for chunk ids such as `file.pdf#page-3#chunk-12`. */
export const MAX_RECORD_ID_LENGTH = 256;

/** A record as users write it: a vector, or text for the store's embedder, or both. */
export interface RecordInput {
  id: string;
  vector?: readonly number[] | Float32Array;
  text?: string;
  metadata?: Metadata;
  /** Hierarchical path within the tenant, such as `kb/finance/q4-report`. */
  source?: string;
}

/** A record as users read it back. */
export interface TenantRecord {
  id: string;
  vector: readonly number[];
  text?: string;
  metadata: Metadata;
  source?: string;
}

export interface QueryMatch {
  id: string;
  /**
   * Higher is better. Vector mode: similarity (see `Metric` for each metric's range); keyword
   * mode: the keyword score (BM25 or the backend's ranking); hybrid: the fused score.
   */
  score: number;
  /** Hybrid mode: the hit's rank and score in each branch it came back from. */
  branches?: BranchPlaces;
  text?: string;
  metadata: Metadata;
  source?: string;
  vector?: readonly number[];
}

/** Why an id cannot be used, or undefined when it can. */
export function recordIdProblem(id: unknown): string | undefined {
  if (typeof id !== 'string') return 'the id must be a string';
  if (id.length === 0 || id.length > MAX_RECORD_ID_LENGTH) return `the id must be 1 to ${MAX_RECORD_ID_LENGTH} characters long`;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(id)) return 'the id may not contain control characters';
  return undefined;
}

/**
 * Why a vector cannot be stored or searched with, or undefined when it can. Checked before any
 * I/O because backends disagree on what they do with NaN (some store it and poison every score).
 */
export function vectorProblem(vector: unknown, dimension: number, metric: Metric): string | undefined {
  if (!Array.isArray(vector) && !(vector instanceof Float32Array) && !(vector instanceof Float64Array)) {
    return 'the vector must be an array of numbers';
  }
  const values = vector as ArrayLike<unknown>;
  if (values.length !== dimension) return `the vector has ${values.length} dimensions, the store has ${dimension}`;
  let allZero = true;
  for (let index = 0; index < values.length; index += 1) {
    const value = values[index];
    if (typeof value !== 'number' || !Number.isFinite(value)) return `the vector's value at ${index} is not a finite number`;
    if (value !== 0) allZero = false;
  }
  if (allZero && metric === 'cosine') return 'an all-zero vector has no direction, so cosine similarity is undefined for it';
  return undefined;
}
