import { ConfigurationError } from '@tenantvec/core';
import type { PGliteDatabase as PGlite } from './database-drivers.js';
import type { Pool } from 'pg';

/** Where the database is. At most one of these; with none, an in-memory PGlite is started. */
export type PgvectorConnection =
  | { connectionString: string; pool?: never; pglite?: never; dataDir?: never }
  /** A ready pool; the backend never ends it, its owner does. */
  | { pool: Pool; connectionString?: never; pglite?: never; dataDir?: never }
  /** A ready PGlite instance with the pgvector extension loaded; never closed by the backend. */
  | { pglite: PGlite; connectionString?: never; pool?: never; dataDir?: never }
  /** Embedded PGlite persisted in this folder. */
  | { dataDir: string; connectionString?: never; pool?: never; pglite?: never }
  | { connectionString?: never; pool?: never; pglite?: never; dataDir?: never };

export interface HnswSettings {
  /** Graph degree. @default 16 */
  m?: number;
  /** Candidate list while building. @default 64 */
  efConstruction?: number;
  /** Candidate list while searching; pgvector caps it at 1000. @default 200 */
  efSearch?: number;
  /**
   * Most index tuples an iterative scan may visit before it gives up, when a metadata filter
   * throws candidates away. @default 40000
   */
  maxScanTuples?: number;
}

export type PgvectorSettings = PgvectorConnection & {
  /** Schema holding every table the backend creates. @default 'tenantvec' */
  schema?: string;
  /**
   * Row-level security on tables several tenants share: a policy on the tenant key, forced on
   * the owner, every data operation under a role without BYPASSRLS. @default true
   */
  rowLevelSecurity?: boolean;
  /**
   * Prefix of the two NOLOGIN roles the migration creates: `<prefix>_app` (data operations,
   * confined by RLS) and `<prefix>_admin` (operations that span tenants). @default 'tenantvec'
   */
  rolePrefix?: string;
  /**
   * A tenant (or a table of its own) with fewer records than this is always searched exactly,
   * even when it has an index: below it an exact scan is as fast and never misses. Measured on
   * 384-d vectors (bench/exact-scan-crossover.ts): an exact scan of 2,000 rows takes about as long
   * as a walk of their HNSW index, of 5,000 rows three times as long. @default 2000
   */
  exactScanBelow?: number;
  /**
   * When a tenant of a shared table (or a table of its own, or a partition) reaches this many
   * records, it gets its own HNSW index — a partial index on shared tables. @default 2000
   */
  partialIndexAbove?: number;
  /** Most records one upsert may carry; each batch is one statement. @default 500 */
  maxBatchSize?: number;
  hnsw?: HnswSettings;
};

export interface ResolvedSettings {
  schema: string;
  rowLevelSecurity: boolean;
  appRole: string;
  adminRole: string;
  exactScanBelow: number;
  partialIndexAbove: number;
  maxBatchSize: number;
  hnsw: Required<HnswSettings>;
}

const identifierPattern = /^[a-z][a-z0-9_]{0,47}$/;

export function resolveSettings(settings: PgvectorSettings): ResolvedSettings {
  const schema = settings.schema ?? 'tenantvec';
  const rolePrefix = settings.rolePrefix ?? 'tenantvec';
  for (const [what, value] of [['schema', schema], ['rolePrefix', rolePrefix]] as const) {
    if (!identifierPattern.test(value)) {
      throw new ConfigurationError(`${what} must be 1 to 48 lowercase letters, digits or '_', starting with a letter; got ${JSON.stringify(value)}.`);
    }
  }
  const whole = (name: string, value: number | undefined, fallback: number, minimum: number, maximum = Number.MAX_SAFE_INTEGER) => {
    const chosen = value ?? fallback;
    if (!Number.isInteger(chosen) || chosen < minimum || chosen > maximum) {
      throw new ConfigurationError(`${name} must be a whole number from ${minimum} to ${maximum}, got ${String(value)}.`);
    }
    return chosen;
  };
  return {
    schema,
    rowLevelSecurity: settings.rowLevelSecurity ?? true,
    appRole: `${rolePrefix}_app`,
    adminRole: `${rolePrefix}_admin`,
    exactScanBelow: whole('exactScanBelow', settings.exactScanBelow, 2000, 0),
    partialIndexAbove: whole('partialIndexAbove', settings.partialIndexAbove, 2000, 1),
    maxBatchSize: whole('maxBatchSize', settings.maxBatchSize, 500, 1, 10_000),
    hnsw: {
      m: whole('hnsw.m', settings.hnsw?.m, 16, 2, 100),
      efConstruction: whole('hnsw.efConstruction', settings.hnsw?.efConstruction, 64, 4, 1000),
      efSearch: whole('hnsw.efSearch', settings.hnsw?.efSearch, 200, 1, 1000),
      maxScanTuples: whole('hnsw.maxScanTuples', settings.hnsw?.maxScanTuples, 40_000, 1),
    },
  };
}
