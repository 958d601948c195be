import { ConfigurationError } from '@tenantvec/core/backend';
import type * as PGliteModule from '@electric-sql/pglite';
import type * as PGliteVectorModule from '@electric-sql/pglite-pgvector';
import type pg from 'pg';

/**
 * The two database drivers are optional peer dependencies, loaded on first use: a server-only
 * install carries no 27 MB PGlite WASM, an embedded-only one no `pg`.
 */

/**
 * What the backend needs of an embedded PGlite instance. Structural on purpose: the published
 * declarations then name no PGlite type, so they check in a project that did not install PGlite,
 * and PGlite's own declarations (which need the Emscripten types) are never pulled in.
 */
export interface PGliteDatabase {
  query<Row = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: Row[] }>;
  transaction<T>(work: (transaction: { query(sql: string, params?: unknown[]): Promise<unknown> }) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type ImportDriver = (specifier: string) => Promise<unknown>;

const importDriver: ImportDriver = (specifier) => import(specifier);

const installHints = {
  pg: 'npm install pg',
  '@electric-sql/pglite': 'npm install @electric-sql/pglite@0.5.14 @electric-sql/pglite-pgvector@0.0.15',
  '@electric-sql/pglite-pgvector': 'npm install @electric-sql/pglite@0.5.14 @electric-sql/pglite-pgvector@0.0.15',
} as const;

type DriverName = keyof typeof installHints;

/** Imports one driver; a missing one is a ConfigurationError that says what to install. */
export async function loadDriver(name: DriverName, use: string, load: ImportDriver = importDriver): Promise<unknown> {
  try {
    return await load(name);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new ConfigurationError(`${use} needs the optional peer dependency ${name}, which is not installed: ${installHints[name]}.`, { cause });
    }
    throw cause;
  }
}

/** node-postgres, for a native server. */
export async function loadPg(load?: ImportDriver): Promise<typeof pg> {
  const loaded = (await loadDriver('pg', 'A connection to a Postgres server', load)) as { default?: typeof pg };
  return loaded.default ?? (loaded as typeof pg);
}

/** Starts an embedded Postgres with pgvector loaded: in memory, or persisted in `dataDir`. */
export async function createEmbeddedDatabase(dataDir?: string, load?: ImportDriver): Promise<PGliteDatabase> {
  const use = 'The embedded engine (PGlite)';
  const { PGlite } = (await loadDriver('@electric-sql/pglite', use, load)) as typeof PGliteModule;
  const { vector } = (await loadDriver('@electric-sql/pglite-pgvector', use, load)) as typeof PGliteVectorModule;
  const options = { extensions: { vector } };
  return dataDir === undefined ? PGlite.create(options) : PGlite.create(dataDir, options);
}
