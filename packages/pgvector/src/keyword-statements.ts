import { defaultBm25, type FilterNode } from '@tenantvec/core/backend';
import { filterToSql } from './filter-to-sql.js';
import { SqlParameters } from './sql-parameters.js';
import { scopeConditions, selectColumns, tableOf, type ScopedTableParams, type SqlStatement } from './sql-statements.js';

/**
 * Postgres's text-search configuration for keyword search. `simple` lowercases and splits words
 * without stemming or stop words, so its terms are core's `textTerms` for ordinary prose and the
 * BM25 here ranks as the memory reference does. (Its parser keeps e-mail addresses, URLs and
 * hyphenated words whole as well as split, and caps positions at 16,383: texts full of those can
 * rank slightly differently.)
 */
export const TEXT_SEARCH_CONFIGURATION = 'simple';

/**
 * Exact BM25 in one statement, with every statistic (document count, document frequency,
 * average length) drawn from the rows inside the walls only, and the caller's filter applied to
 * the candidates afterwards, as in the memory reference. Each term frequency is the count of a
 * lexeme's positions in the row's `tsvector`. Cost grows with the scope's size: the statistics
 * are counted per query, which is what keeps one tenant's scores free of every other tenant's rows.
 */
export function keywordSearch(params: ScopedTableParams & { terms: readonly string[]; filter?: FilterNode; topK: number; includeVectors: boolean }): SqlStatement {
  const parameters = params.parameters ?? new SqlParameters();
  const walls = scopeConditions(params.target, params.scope, undefined, parameters);
  const terms = `${parameters.add([...params.terms])}::text[]`;
  const configuration = `${parameters.add(TEXT_SEARCH_CONFIGURATION)}::regconfig`;
  const { k1, b } = defaultBm25;
  const candidates = params.filter === undefined ? 'true' : filterToSql(params.filter, parameters);
  const text = [
    `WITH scoped AS (SELECT *, to_tsvector(${configuration}, coalesce(text, '')) AS words FROM ${tableOf(params.schema, params.target)} WHERE ${walls.join(' AND ')}),`,
    `occurrences AS (SELECT scoped.id, entry.lexeme, coalesce(array_length(entry.positions, 1), 1)::float8 AS frequency FROM scoped, unnest(scoped.words) AS entry),`,
    `lengths AS (SELECT scoped.id, coalesce(sum(occurrences.frequency), 0)::float8 AS length FROM scoped LEFT JOIN occurrences USING (id) GROUP BY scoped.id),`,
    `corpus AS (SELECT count(*)::float8 AS documents, coalesce(avg(length), 0)::float8 AS average FROM lengths),`,
    `containing AS (SELECT lexeme, count(*)::float8 AS documents FROM occurrences WHERE lexeme = ANY(${terms}) GROUP BY lexeme),`,
    `scores AS (SELECT occurrences.id, sum(ln(1 + (corpus.documents - containing.documents + 0.5) / (containing.documents + 0.5))`,
    `  * (occurrences.frequency * ${k1 + 1}) / (occurrences.frequency + ${k1} * (1 - ${b} + ${b} * lengths.length / corpus.average))) AS score`,
    `  FROM occurrences JOIN containing USING (lexeme) JOIN lengths USING (id) CROSS JOIN corpus GROUP BY occurrences.id)`,
    `SELECT ${selectColumns(params.target.keyColumn === 'tenant', params.includeVectors)}, scores.score FROM scoped JOIN scores USING (id)`,
    `WHERE ${candidates} ORDER BY scores.score DESC, id LIMIT ${parameters.add(params.topK)}`,
  ].join(' ');
  return { text, values: parameters.values };
}
