import type { BackendDescription } from '@tenantvec/core/backend';
import type { Pool } from 'pg';

/** Where a database is, as error messages and `describe()` name it: never a password. */
export type ConnectionTarget =
  | { engine: 'pg'; host: string; port: number; database: string; user: string }
  | { engine: 'pglite'; dataDir?: string };

interface PoolOptions {
  connectionString?: string;
  host?: string;
  port?: number | string;
  database?: string;
  user?: string;
}

/** What `pg` can read in place of a database name from a string it cannot parse; never the string. */
export const UNREADABLE_DATABASE = '(a connection string pg cannot read)';

/**
 * Whether `pg` reads this string as a URL (or a socket folder). A keyword/value string
 * (`host=db dbname=app`) it does not: it resolves it against `postgres://base` and connects to a
 * host named `base`.
 */
export function isReadableConnectionString(connectionString: string): boolean {
  return connectionString.startsWith('/') || /^[a-z][a-z\d+.-]*:/i.test(connectionString);
}

/** The server fields of a connection string, as pg-connection-string parses them (empty is absent). */
function parseConnectionString(connectionString: string): PoolOptions {
  if (connectionString.startsWith('/')) {
    const [host, database] = connectionString.split(' ');
    return { host, database };
  }
  if (!isReadableConnectionString(connectionString)) return { database: UNREADABLE_DATABASE };
  let url: URL;
  let emptyHost = false;
  try {
    url = new URL(connectionString);
  } catch {
    try {
      // What pg does with `postgres://user@/db`: a placeholder host it then ignores.
      url = new URL(connectionString.replace('@/', '@placeholder/'));
      emptyHost = true;
    } catch {
      return { database: UNREADABLE_DATABASE };
    }
  }
  const query = url.searchParams;
  const user = query.get('user') || decodeURIComponent(url.username);
  if (url.protocol === 'socket:') return { host: decodeURI(url.pathname), database: query.get('db') ?? '', user };
  const hostname = (emptyHost ? '' : url.hostname).replace(/^\[(.+)\]$/, '$1');
  const database = url.pathname.slice(1);
  return {
    host: query.get('host') || decodeURIComponent(hostname),
    port: query.get('port') || url.port,
    database: database === '' ? '' : decodeURI(database),
    user,
  };
}

/**
 * Resolves a pool's options the way `pg` does (the connection string's fields replace the
 * options', then an empty one falls to the PG* environment variables, then to pg's defaults),
 * keeping only what identifies the server. The one parser: `describe()` and error messages both
 * read it, so neither can name a database other than the one pg connects to.
 */
export function describeConnectionOptions(options: PoolOptions): ConnectionTarget {
  const merged: PoolOptions = options.connectionString === undefined ? options : { ...options, ...parseConnectionString(options.connectionString) };
  const user = merged.user || process.env.PGUSER || process.env.USER || '';
  return {
    engine: 'pg',
    host: merged.host || process.env.PGHOST || 'localhost',
    port: Number.parseInt(String(merged.port || process.env.PGPORT || 5432), 10),
    database: merged.database || process.env.PGDATABASE || user,
    user,
  };
}

export function describePool(pool: Pool): ConnectionTarget {
  return describeConnectionOptions((pool as unknown as { options?: PoolOptions }).options ?? {});
}

/** What `describe()` says of a server: host, port and database, never the user or a password. */
export function describeServer(target: ConnectionTarget, detail?: string): BackendDescription {
  const description: BackendDescription = target.engine === 'pg'
    ? { kind: 'pgvector', host: target.host, port: target.port, database: target.database }
    : { kind: 'pglite', ...(target.dataDir === undefined ? { inMemory: true } : { dataDir: target.dataDir }) };
  if (detail !== undefined) description.detail = detail;
  return description;
}

/** `database "app" on db.internal:5432 as "app_owner"`, or the embedded engine's folder. */
export function describeTarget(target: ConnectionTarget): string {
  if (target.engine === 'pglite') return target.dataDir === undefined ? 'the in-memory PGlite database' : `the PGlite database in ${target.dataDir}`;
  return `database "${target.database}" on ${target.host}:${target.port} as "${target.user}"`;
}
