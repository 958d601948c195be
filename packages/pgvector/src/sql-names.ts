import { BackendError, hashOf } from '@tenantvec/core/backend';

/** Quotes an identifier for SQL text; identifiers can never be bound as parameters. */
export function quoteIdentifier(name: string): string {
  if (name.length === 0 || name.includes('\u0000')) throw new BackendError('An SQL identifier must be non-empty and free of NUL.');
  return `"${name.replaceAll('"', '""')}"`;
}

/** `"schema"."name"` */
export function qualified(schema: string, name: string): string {
  return `${quoteIdentifier(schema)}.${quoteIdentifier(name)}`;
}

/**
 * Quotes a string literal. Only for DDL, where parameters are not allowed (a partial index's
 * predicate) and for the index-backed query path, whose predicate must repeat that literal for
 * the planner to prove the partial index applies. Relies on standard_conforming_strings (on by
 * default since Postgres 9.1), where a backslash is an ordinary character.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw new BackendError('An SQL literal cannot hold NUL.');
  return `'${value.replaceAll("'", "''")}'`;
}

/** Collection names become table names as they are, so they must be plain Postgres identifiers. */
const collectionNamePattern = /^[a-z][a-z0-9_]{0,62}$/;

export function assertCollectionName(name: string): void {
  if (!collectionNamePattern.test(name)) {
    throw new BackendError(`Collection name ${JSON.stringify(name)} is not 1 to 63 lowercase letters, digits or '_' starting with a letter.`);
  }
}

/**
 * Table of one partition. Collection names never start with '_', so these never meet a
 * collection's table; the hash of the exact pair keeps the name injective and within 63 bytes
 * however long the collection and partition names are.
 */
export function partitionTableName(collection: string, partition: string): string {
  return `_p_${partition.replace(/[^a-z0-9_]/g, '_').slice(0, 40)}_${hashOf(`${collection}/${partition}`)}`;
}

/**
 * Leaf `remainder` of a hash-partitioned shared table. Like partition tables it starts with '_',
 * so it never meets a collection's table, and the table's hash keeps it within 63 bytes.
 */
export function hashPartitionTableName(table: string, remainder: number): string {
  return `_h${remainder}_${hashOf(table)}`;
}

/** Name of the HNSW index of a whole table (`key` empty) or of one tenant key of a shared table. */
export function vectorIndexName(table: string, key: string): string {
  return `_v_${hashOf(`${table}/${key}`)}`;
}

/** Name of the GIN index on a table's `words`, what keyword search finds its matches with. */
export function wordsIndexName(table: string): string {
  return `_w_${hashOf(table)}`;
}

/** Name of the btree on a shared table's tenant key. */
export function keyIndexName(table: string): string {
  return `_k_${hashOf(table)}`;
}

/**
 * The advisory-lock key for DDL on one table: concurrent `ensureCollection` calls from several
 * processes queue on it instead of racing to `CREATE TABLE`.
 */
export function lockKeyOf(schema: string, name: string): string {
  return `tenantvec:${schema}:${name}`;
}
