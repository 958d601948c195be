import { ServerError, Status } from 'nice-grpc';
import type { EmulatedClass, Shard, StoredObject } from './emulator-state.js';
import { stopwordPresets } from './inverted-index-config.js';
import { tokenize } from './text-tokenizer.js';

/**
 * BM25 as a Weaviate 1.33 shard computes it for a new class (BlockMax WAND over `inverted`
 * buckets; weaviate/weaviate adapters/repos/db/inverted/bm25_searcher.go and
 * bm25_searcher_block.go, lsmkv/bucket.go CreateDiskTerm and GetAveragePropertyLength,
 * lsmkv/segment_blockmax.go Score, inverted/terms/terms.go Idf, at adcffc54). Every statistic
 * comes from the one shard searched — a native tenant, or a single-tenant class's shard:
 * - N is the shard's object count (`objects` bucket), with or without the property;
 * - a document's length is the number of tokens its property holds (the sum of its term
 *   frequencies), and the average is taken over the documents holding at least one token;
 * - n(t) is how many of the shard's documents hold t, never narrowed by the request's filter
 *   (filtered-out postings are counted back in);
 * - idf(t) = ln(1 + (N − n + 0.5) / (n + 0.5)), times how often t occurs in the query;
 * - score = Σ idf(t) · f / (f + k1 · (1 − b + b · length / average)): Weaviate leaves out
 *   Lucene's (k1 + 1) factor, so scores are Lucene's divided by k1 + 1, ranked the same.
 * Query words that are stopwords of the class's `stopwords` config are dropped (word
 * tokenization only); documents keep theirs. Exact where Weaviate approximates N
 * (CountApproximate) and counts postings of updated or deleted objects until compaction.
 */

export interface Bm25Message {
  query: string;
  properties: string[];
  searchOperator?: { operator: number; minimumOrTokensMatch?: number };
}

/** weaviate.v1.SearchOperatorOptions.Operator */
const OPERATOR_AND = 2;

/** What a Go error returned from the Search handler becomes on the wire: no status, so UNKNOWN. */
function searchFailure(message: string): never {
  throw new ServerError(Status.UNKNOWN, message);
}

/** The property a BM25 search reads, refused as bm25_searcher.go refuses it (inverted/errors.go). */
function searchedProperty(target: EmulatedClass, request: Bm25Message): string {
  if (request.properties.length === 0) {
    const searchable = [...target.properties.values()].filter((property) => property.indexSearchable === true);
    if (searchable.length === 0) searchFailure('No properties provided, and no indexed properties found in class');
    throw new ServerError(Status.UNIMPLEMENTED, 'the emulator searches one named property at a time');
  }
  if (request.properties.length > 1 || request.properties[0]!.includes('^')) {
    throw new ServerError(Status.UNIMPLEMENTED, 'the emulator searches one property, without boosts');
  }
  // parse_search_request.go lowercases the first letter of each property name.
  const given = request.properties[0]!;
  const name = given[0]!.toLowerCase() + given.slice(1);
  const property = target.properties.get(name);
  if (property?.indexSearchable !== true) {
    searchFailure(`Searching by property '${name}' requires inverted index. Is \`indexSearchable\` option of property '${name}' enabled? Set it to \`true\` or leave empty`);
  }
  return name;
}

/** The query's distinct terms and how often each occurs (AnalyzeAndCountDuplicates). */
function queryTerms(target: EmulatedClass, query: string, tokenization: string | undefined): Map<string, number> {
  const { stopwords } = target.schema.invertedIndexConfig;
  const dropped = new Set(tokenization === 'word' || tokenization === undefined ? [...stopwordPresets[stopwords.preset]!, ...(stopwords.additions ?? [])] : []);
  for (const word of stopwords.removals ?? []) dropped.delete(word);
  const counts = new Map<string, number>();
  for (const term of tokenize(query, tokenization)) if (!dropped.has(term)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

function documentTerms(value: unknown, tokenization: string | undefined): Map<string, number> {
  const counts = new Map<string, number>();
  const values = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
  for (const item of values) for (const term of tokenize(String(item), tokenization)) counts.set(term, (counts.get(term) ?? 0) + 1);
  return counts;
}

export interface Bm25Hit {
  object: StoredObject;
  score: number;
}

/** The shard's hits among `candidates` (the objects passing the filter), best first. */
export function rankBm25(params: { target: EmulatedClass; shard: Shard; request: Bm25Message; passes: (object: StoredObject) => boolean }): Bm25Hit[] {
  const { target, shard, request } = params;
  const name = searchedProperty(target, request);
  const tokenization = target.properties.get(name)!.tokenization;
  const terms = queryTerms(target, request.query, tokenization);
  if (terms.size === 0) return [];
  const { k1, b } = target.schema.invertedIndexConfig.bm25;
  const documents = [...shard.objects.values()].map((object) => {
    const counts = documentTerms(object.properties[name], tokenization);
    let length = 0;
    for (const count of counts.values()) length += count;
    return { object, counts, length };
  });
  const indexed = documents.filter((document) => document.length > 0);
  const averageLength = indexed.reduce((sum, document) => sum + document.length, 0) / indexed.length;
  const objectCount = shard.objects.size;
  const weights = new Map<string, number>();
  for (const [term, repeats] of terms) {
    const containing = indexed.filter((document) => document.counts.has(term)).length;
    const idf = Math.log(1 + (Math.max(objectCount, containing) - containing + 0.5) / (containing + 0.5));
    weights.set(term, idf * repeats);
  }
  const operator = request.searchOperator;
  const needed = operator?.operator === OPERATOR_AND ? terms.size : Math.max(1, operator?.minimumOrTokensMatch ?? 0);
  const hits: Bm25Hit[] = [];
  for (const document of indexed) {
    let matched = 0;
    let score = 0;
    for (const [term, weight] of weights) {
      const frequency = document.counts.get(term) ?? 0;
      if (frequency === 0) continue;
      matched += 1;
      score += weight * (frequency / (frequency + k1 * (1 - b + b * (document.length / averageLength))));
    }
    if (matched >= needed && params.passes(document.object)) hits.push({ object: document.object, score });
  }
  return hits.sort((left, right) => right.score - left.score || (left.object.uuid < right.object.uuid ? -1 : 1));
}
