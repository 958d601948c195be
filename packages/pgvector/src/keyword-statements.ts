import { defaultBm25, type FilterNode, type KeywordSyntax } from '@tenantvec/core/backend';
import { LEGACY_TEXT_SEARCH_CONFIGURATION } from './collection-catalogue.js';
import { filterToSql } from './filter-to-sql.js';
import { SqlParameters } from './sql-parameters.js';
import { scopeConditions, selectColumns, tableOf, type ScopedTableParams, type SqlStatement } from './sql-statements.js';

/**
 * Keyword search as exact BM25 in one statement, with every statistic (document count,
 * document frequency, average length) drawn from the rows inside the walls only, and the
 * caller's filter applied to the candidates afterwards, as in the memory reference. A term's
 * frequency is the count of a lexeme's positions in the row's `tsvector`; a text's length is the
 * sum over its lexemes. Scores never depend on another tenant's rows.
 *
 * Two layouts. Tables created since migration 6 store `words` (the tsvector, built with the
 * collection's text-search configuration) and `word_count` (its length) and index `words` with
 * GIN: the statement reads the matching rows through the index and the scope's lengths, and
 * Postgres analyses core's query terms with the same configuration. Tables created before have neither,
 * so every text of the scope is parsed per query with `simple`, and the terms are core's.
 *
 * Postgres's tsvector keeps at most 256 positions per lexeme and none past 16,383, so a term
 * repeated more often, or a very long text, counts less than core's reference would; a text
 * whose tsvector passes 1 MB cannot be written at all.
 */
export function keywordSearch(params: ScopedTableParams & { text: string; syntax?: KeywordSyntax; terms: readonly string[]; filter?: FilterNode; topK: number; includeVectors: boolean }): SqlStatement {
  return params.target.textSearchConfiguration === undefined ? parsedPerQuery(params) : indexedWords({ ...params, configuration: params.target.textSearchConfiguration });
}

type KeywordParams = Parameters<typeof keywordSearch>[0];

/**
 * Which scored rows may be hits: the caller's filter, and with `websearch` the query as
 * `websearch_to_tsquery` reads it (all words, phrases, exclusions, `or`). Applied after the
 * statistics, which count every row of the scope holding a term, whatever the syntax.
 */
function hitConditions(params: KeywordParams, configuration: string, parameters: SqlParameters): string {
  const conditions = [params.filter === undefined ? 'true' : filterToSql(params.filter, parameters)];
  if (params.syntax === 'websearch') conditions.push(`words @@ websearch_to_tsquery(${configuration}, ${parameters.add(params.text)})`);
  return conditions.join(' AND ');
}

/**
 * The legacy statement's last part: from the CTEs `occurrences (id, lexeme,
 * frequency)`, `containing (lexeme, documents)` and `corpus (documents, average)`, each row's
 * `Σ ln(1 + (N − n + 0.5) / (n + 0.5)) · f (k1 + 1) / (f + k1 (1 − b + b · length / average))`,
 * then the best rows of `rows` that pass the caller's filter.
 */
function rankedRows(params: KeywordParams & { rows: string; lengths: string; length: string; candidates: string; parameters: SqlParameters }): string[] {
  const { k1, b } = defaultBm25;
  const frequency = 'occurrences.frequency';
  return [
    `scores AS MATERIALIZED (SELECT occurrences.id, sum(ln(1 + (corpus.documents - containing.documents + 0.5) / (containing.documents + 0.5))`,
    `  * (${frequency} * ${k1 + 1}) / (${frequency} + ${k1} * (1 - ${b} + ${b} * ${params.length} / corpus.average))) AS score`,
    `  FROM occurrences JOIN containing USING (lexeme) JOIN ${params.lengths} USING (id) CROSS JOIN corpus GROUP BY occurrences.id)`,
    `SELECT ${selectColumns(params.target.keyColumn === 'tenant', params.includeVectors)}, scores.score FROM ${params.rows} JOIN scores USING (id)`,
    `WHERE ${params.candidates} ORDER BY scores.score DESC, id LIMIT ${params.parameters.add(params.topK)}`,
  ];
}

function indexedWords(params: KeywordParams & { configuration: string }): SqlStatement {
  const parameters = params.parameters ?? new SqlParameters();
  const table = tableOf(params.schema, params.target);
  const walls = scopeConditions(params.target, params.scope, undefined, parameters).join(' AND ');
  const configuration = `${parameters.add(params.configuration)}::regconfig`;
  const candidates = hitConditions(params, configuration, parameters);
  const { k1, b } = defaultBm25;
  // Core's terms, analysed again by the configuration (which may stem or drop them). The
  // OR-query is a bound value, so the planner sees it and estimates the GIN index scan from the
  // column's statistics; each term is quoted so that it stays one operand.
  const words = parameters.add(params.terms.join(' '));
  const anyTerm = parameters.add(params.terms.map((term) => `'${term.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`).join(' | '));
  // A lexeme as a tsquery of itself, not analysed again: quoted, quotes and backslashes doubled.
  // E'' literals, so that the backslashes mean the same under any standard_conforming_strings.
  const itself = `('''' || replace(replace(terms.lexeme, E'\\\\', E'\\\\\\\\'), '''', '''''') || '''')::tsquery`;
  const frequency = 'coalesce(array_length(entry.positions, 1), 1)::float8';
  // Every CTE is MATERIALIZED: inlined, the planner re-ran the corpus count for each candidate
  // row (103 s for one query of a 960-row tenant of the bench's shared table).
  const text = [
    `WITH terms AS MATERIALIZED (SELECT DISTINCT entry.lexeme FROM unnest(to_tsvector(${configuration}, ${words})) AS entry),`,
    // The scope's documents are its rows holding at least one term, as in core's reference.
    `corpus AS MATERIALIZED (SELECT count(*)::float8 AS documents, coalesce(avg(word_count), 0)::float8 AS average FROM ${table} WHERE ${walls} AND word_count > 0),`,
    // Every row of the scope holding a query term, before the caller's filter: the document frequencies count them all.
    `matched AS MATERIALIZED (SELECT * FROM ${table} WHERE ${walls} AND words @@ to_tsquery(${configuration}, ${anyTerm})),`,
    `weights AS MATERIALIZED (SELECT terms.lexeme, ln(1 + (corpus.documents - counted.documents + 0.5) / (counted.documents + 0.5)) AS weight`,
    `  FROM terms CROSS JOIN corpus CROSS JOIN LATERAL (SELECT count(*)::float8 AS documents FROM matched WHERE matched.words @@ ${itself}) AS counted`,
    `  WHERE counted.documents > 0)`,
    `SELECT ${selectColumns(params.target.keyColumn === 'tenant', params.includeVectors)}, scored.score FROM matched CROSS JOIN corpus`,
    `CROSS JOIN LATERAL (SELECT sum(weights.weight * (${frequency} * ${k1 + 1}) / (${frequency} + ${k1} * (1 - ${b} + ${b} * matched.word_count / corpus.average))) AS score`,
    `  FROM unnest(matched.words) AS entry JOIN weights USING (lexeme)) AS scored`,
    `WHERE scored.score IS NOT NULL AND ${candidates} ORDER BY scored.score DESC, id LIMIT ${parameters.add(params.topK)}`,
  ].join(' ');
  return { text, values: parameters.values };
}

function parsedPerQuery(params: KeywordParams): SqlStatement {
  const parameters = params.parameters ?? new SqlParameters();
  const walls = scopeConditions(params.target, params.scope, undefined, parameters);
  const terms = `${parameters.add([...params.terms])}::text[]`;
  const configuration = `${parameters.add(LEGACY_TEXT_SEARCH_CONFIGURATION)}::regconfig`;
  const candidates = hitConditions(params, configuration, parameters);
  const text = [
    `WITH scoped AS (SELECT *, to_tsvector(${configuration}, coalesce(text, '')) AS words FROM ${tableOf(params.schema, params.target)} WHERE ${walls.join(' AND ')}),`,
    `occurrences AS (SELECT scoped.id, entry.lexeme, coalesce(array_length(entry.positions, 1), 1)::float8 AS frequency FROM scoped, unnest(scoped.words) AS entry),`,
    `lengths AS (SELECT scoped.id, coalesce(sum(occurrences.frequency), 0)::float8 AS length FROM scoped LEFT JOIN occurrences USING (id) GROUP BY scoped.id),`,
    `corpus AS MATERIALIZED (SELECT count(*)::float8 AS documents, coalesce(avg(length), 0)::float8 AS average FROM lengths WHERE length > 0),`,
    `containing AS MATERIALIZED (SELECT lexeme, count(*)::float8 AS documents FROM occurrences WHERE lexeme = ANY(${terms}) GROUP BY lexeme),`,
    ...rankedRows({ ...params, rows: 'scoped', lengths: 'lengths', length: 'lengths.length', candidates, parameters }),
  ].join(' ');
  return { text, values: parameters.values };
}
