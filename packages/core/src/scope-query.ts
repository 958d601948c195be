import { DimensionMismatchError, EmbedderRequiredError, InvalidArgumentError } from './errors.js';
import { parseFilter } from './filter/parse-filter.js';
import type { TenantPlacement } from './isolation-strategy.js';
import { fuseBranches, resolveFusion, type BranchPlaces } from './keyword/fusion.js';
import { assertKeywordAllowed } from './keyword/term-statistics.js';
import { queryTerms, websearchTerms } from './keyword/text-terms.js';
import type { OperationTracker } from './operation-hooks.js';
import { vectorProblem } from './record-input.js';
import type { StoreRuntime } from './store-runtime.js';
import type { KeywordSyntax, QueryMode, QueryParams } from './tenant-scope-types.js';
import type { ScopeConstraint, ScoredRecord } from './vector-backend.js';

const modes: readonly QueryMode[] = ['vector', 'keyword', 'hybrid'];
const keywordSyntaxes: readonly KeywordSyntax[] = ['terms', 'websearch'];

export type ScopeHit = ScoredRecord & { branches?: BranchPlaces };

/** A checked query, its text embedded: `search(count)` runs it for the best `count` hits (more than topK to refill). */
export interface PlannedQuery {
  topK: number;
  search(count: number): Promise<ScopeHit[]>;
}

/**
 * One query of one scope in any mode. Everything is checked before any I/O: the mode's inputs,
 * topK, the filter, and for keyword search whether term statistics would cross tenants. A
 * query text is embedded once, however often the plan is searched.
 */
export async function planScopeQuery(params: {
  runtime: StoreRuntime;
  placement: TenantPlacement;
  walls: ScopeConstraint;
  query: QueryParams;
  tracker: OperationTracker;
}): Promise<PlannedQuery> {
  const { runtime, placement, walls, query, tracker } = params;
  const { backend } = runtime;
  const { location } = placement;
  const mode = query.mode ?? 'vector';
  if (!modes.includes(mode)) throw new InvalidArgumentError(`mode must be one of ${modes.join(', ')}, got ${JSON.stringify(mode)}.`);
  const { topK = 10, includeVectors = false } = query;
  const { maxTopK } = backend.capabilities;
  if (!Number.isInteger(topK) || topK < 1 || topK > maxTopK) {
    throw new InvalidArgumentError(`topK must be a whole number from 1 to ${maxTopK}, got ${String(topK)}.`);
  }
  if (mode !== 'hybrid' && (query.fusion !== undefined || query.candidates !== undefined)) {
    throw new InvalidArgumentError('fusion and candidates apply to hybrid queries only.');
  }
  const syntax = query.keywordSyntax ?? 'terms';
  if (!keywordSyntaxes.includes(syntax)) throw new InvalidArgumentError(`keywordSyntax must be one of ${keywordSyntaxes.join(', ')}, got ${JSON.stringify(syntax)}.`);
  if (mode === 'vector' && query.keywordSyntax !== undefined) throw new InvalidArgumentError('keywordSyntax applies to keyword and hybrid queries only.');
  const filter = parseFilter(query.filter);
  runtime.assertFilterSupported(filter);

  if (mode === 'vector') {
    if ((query.vector === undefined) === (query.text === undefined)) throw new InvalidArgumentError('A vector query takes exactly one of vector or text.');
    const vector = await queryVector(runtime, query, tracker);
    return { topK, search: (count) => backend.rawQuery({ location, scope: walls, vector, topK: count, filter, includeVectors }) };
  }

  if (typeof query.text !== 'string' || query.text.trim().length === 0) {
    throw new InvalidArgumentError(`A ${mode} query needs a non-empty text.`);
  }
  if (mode === 'keyword' && query.vector !== undefined) throw new InvalidArgumentError('A keyword query takes a text, not a vector.');
  const terms = syntax === 'websearch' ? websearchTerms(query.text) : queryTerms(query.text);
  if (syntax === 'websearch' && terms.length === 0 && queryTerms(query.text).length > 0) {
    throw new InvalidArgumentError('A websearch query needs at least one word to search for: `-word` only excludes, and `or` only joins alternatives.');
  }
  const keywordSearch = (count: number) => terms.length === 0
    // A text of punctuation only matches nothing; asking the backend would only cost a trip.
    ? Promise.resolve([])
    : backend.rawKeywordQuery!({ location, scope: walls, text: query.text!, terms, topK: count, filter, includeVectors, ...(syntax === 'terms' ? {} : { syntax }) });

  // A malformed query is the caller's mistake whatever the backend can do, so it is named first.
  const fusion = mode === 'hybrid' ? resolveFusion(query.fusion) : undefined;
  const candidates = query.candidates ?? Math.min(maxTopK, Math.max(50, 4 * topK));
  if (!Number.isInteger(candidates) || candidates < topK || candidates > maxTopK) {
    throw new InvalidArgumentError(`candidates must be a whole number from topK (${topK}) to ${maxTopK}, got ${String(candidates)}.`);
  }
  assertKeywordAllowed({ backend, strategy: runtime.strategy.type, tenantScope: placement.scope, location, metric: runtime.context.metric, syntax, settings: runtime.keyword });

  if (fusion === undefined) {
    await tracker.ready();
    return { topK, search: keywordSearch };
  }

  const vector = await queryVector(runtime, query, tracker);
  const search = async (count: number): Promise<ScopeHit[]> => {
    const branchCount = Math.min(maxTopK, Math.max(candidates, count));
    const [vectorHits, keywordHits] = await Promise.all([
      backend.rawQuery({ location, scope: walls, vector, topK: branchCount, filter, includeVectors }),
      keywordSearch(branchCount),
    ]);
    const byId = new Map<string, ScoredRecord>();
    for (const hit of [...keywordHits, ...vectorHits]) byId.set(hit.id, hit);
    return fuseBranches({ vector: vectorHits, keyword: keywordHits, fusion })
      .slice(0, count)
      .map(({ id, score, branches }) => ({ ...byId.get(id)!, score, branches }));
  };
  return { topK, search };
}

async function queryVector(runtime: StoreRuntime, params: QueryParams, tracker: OperationTracker): Promise<readonly number[]> {
  const { dimension, metric } = runtime.context;
  if (params.vector !== undefined) {
    const problem = vectorProblem(params.vector, dimension, metric);
    if (problem !== undefined) {
      throw problem.includes('dimensions')
        ? new DimensionMismatchError(`Query vector: ${problem}.`)
        : new InvalidArgumentError(`Query vector: ${problem}.`);
    }
    await tracker.ready();
    return Array.from(params.vector);
  }
  if (typeof params.text !== 'string' || params.text.length === 0) throw new InvalidArgumentError('A query text must be a non-empty string.');
  if (runtime.embedder === undefined) {
    throw new EmbedderRequiredError('This store has no embedder, so vector and hybrid queries must give a vector.');
  }
  await tracker.ready({ texts: 1 });
  const { vectors, tokens } = await runtime.embed([params.text]);
  tracker.note({}, tokens);
  return vectors[0]!;
}
