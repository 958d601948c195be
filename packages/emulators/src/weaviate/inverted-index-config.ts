import { SchemaError } from './class-schema.js';

/**
 * A class's `invertedIndexConfig`, checked and completed as Weaviate 1.33 does at class creation
 * (usecases/schema/class.go setInvertedConfigDefaults, adapters/repos/db/inverted/config.go
 * ValidateConfig, at adcffc54): every failure is a 422. Keys outside the OpenAPI
 * InvertedIndexConfig, BM25Config and StopwordConfig shapes are refused like the rest of the
 * class. `bm25` is read as Go decodes it: a missing `b` or `k1` inside it is 0, not the default.
 * `usingBlockMaxWAND` is always true on a new class (the default fills in a false), which is what
 * makes BM25 lengths count every token (see bm25-ranking.ts).
 */

export interface StopwordConfig {
  preset: string;
  additions: string[] | null;
  removals: string[] | null;
}

export interface InvertedIndexConfig {
  bm25: { b: number; k1: number };
  cleanupIntervalSeconds: number;
  stopwords: StopwordConfig;
  indexNullState: boolean;
  indexPropertyLength: boolean;
  indexTimestamps: boolean;
  usingBlockMaxWAND: boolean;
}

/** adapters/repos/db/inverted/stopwords/presets.go */
export const stopwordPresets: Readonly<Record<string, readonly string[]>> = {
  en: [
    'a', 'an', 'and', 'are', 'as', 'at', 'be', 'but', 'by', 'for', 'if', 'in', 'into', 'is', 'it', 'no', 'not', 'of', 'on',
    'or', 'such', 'that', 'the', 'their', 'then', 'there', 'these', 'they', 'this', 'to', 'was', 'will', 'with',
  ],
  none: [],
};

const configKeys = new Set(['bm25', 'cleanupIntervalSeconds', 'indexNullState', 'indexPropertyLength', 'indexTimestamps', 'stopwords', 'usingBlockMaxWAND']);

function unprocessable(message: string): never {
  throw new SchemaError(422, message);
}

function objectOf(value: unknown, what: string, keys: readonly string[]): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) unprocessable(`${what} must be an object`);
  for (const key of Object.keys(value)) if (!keys.includes(key)) unprocessable(`${what}: unknown field "${key}"`);
  return value as Record<string, unknown>;
}

function numberOf(value: unknown, what: string): number {
  if (value === undefined) return 0;
  if (typeof value !== 'number') unprocessable(`${what} must be a number`);
  return value;
}

function booleanOf(value: unknown, what: string): boolean {
  if (value === undefined) return false;
  if (typeof value !== 'boolean') unprocessable(`${what} must be a boolean`);
  return value;
}

function wordsOf(value: unknown, what: string): string[] | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.some((word) => typeof word !== 'string')) unprocessable(`${what} must be an array of strings`);
  if (value.some((word) => (word as string).trim() === '')) unprocessable(`cannot use whitespace in ${what}`);
  return value as string[];
}

function stopwordsOf(value: unknown): StopwordConfig {
  if (value === undefined) return { preset: 'en', additions: null, removals: null };
  const given = objectOf(value, 'stopwords', ['preset', 'additions', 'removals']);
  if (given.preset !== undefined && typeof given.preset !== 'string') unprocessable('stopwords.preset must be a string');
  const preset = (given.preset as string | undefined) || 'en';
  const words = stopwordPresets[preset];
  if (words === undefined) unprocessable(`stopwordPreset '${preset}' does not exist`);
  const additions = wordsOf(given.additions, 'stopword.additions');
  const removals = wordsOf(given.removals, 'stopword.removals');
  const clash = removals?.find((word) => additions?.includes(word));
  if (clash !== undefined) unprocessable(`found '${clash}' in both stopwords.additions and stopwords.removals`);
  // Additions the preset already holds are dropped, as removeStopwordAdditionsIfInPreset does.
  return { preset, additions: additions === null ? null : additions.filter((word) => !words.includes(word)), removals };
}

export function validateInvertedIndexConfig(input: unknown): InvertedIndexConfig {
  const given = input === undefined ? {} : objectOf(input, 'invertedIndexConfig', [...configKeys]);
  let bm25 = { b: 0.75, k1: 1.2 };
  if (given.bm25 !== undefined) {
    const pair = objectOf(given.bm25, 'bm25', ['b', 'k1']);
    bm25 = { b: numberOf(pair.b, 'bm25.b'), k1: numberOf(pair.k1, 'bm25.k1') };
    if (bm25.k1 < 0) unprocessable('BM25.k1 must be >= 0');
    if (bm25.b < 0 || bm25.b > 1) unprocessable('BM25.b must be >= 0 and <= 1');
  }
  const cleanup = numberOf(given.cleanupIntervalSeconds, 'cleanupIntervalSeconds');
  if (!Number.isInteger(cleanup)) unprocessable('cleanupIntervalSeconds must be an integer');
  if (cleanup < 0) unprocessable('cleanup interval seconds must be > 0');
  booleanOf(given.usingBlockMaxWAND, 'usingBlockMaxWAND');
  return {
    bm25,
    cleanupIntervalSeconds: cleanup === 0 ? 60 : cleanup,
    stopwords: stopwordsOf(given.stopwords),
    indexNullState: booleanOf(given.indexNullState, 'indexNullState'),
    indexPropertyLength: booleanOf(given.indexPropertyLength, 'indexPropertyLength'),
    indexTimestamps: booleanOf(given.indexTimestamps, 'indexTimestamps'),
    usingBlockMaxWAND: true,
  };
}
