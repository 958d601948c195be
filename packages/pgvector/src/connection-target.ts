import type { Pool } from 'pg';

/** Where a database is, as error messages name it: never a password. */
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

/**
 * Reads the pool's options the way `pg` resolves them (connection string, then fields, then the
 * PG* environment variables, then its defaults), keeping only what identifies the server.
 */
export function describePool(pool: Pool): ConnectionTarget {
  return describeConnectionOptions((pool as unknown as { options?: PoolOptions }).options ?? {});
}

/** The same, from the options a pool will be made with (before `pg` is even loaded). */
export function describeConnectionOptions(options: PoolOptions): ConnectionTarget {
  const fromUrl: PoolOptions = {};
  if (options.connectionString !== undefined) {
    try {
      const url = new URL(options.connectionString);
      if (url.hostname !== '') fromUrl.host = decodeURIComponent(url.hostname);
      if (url.port !== '') fromUrl.port = url.port;
      if (url.pathname.length > 1) fromUrl.database = decodeURIComponent(url.pathname.slice(1));
      if (url.username !== '') fromUrl.user = decodeURIComponent(url.username);
      const host = url.searchParams.get('host');
      if (host !== null) fromUrl.host = host;
    } catch {
      // Not a URL (a keyword/value string): the fields below still say something useful.
    }
  }
  const user = fromUrl.user ?? options.user ?? process.env.PGUSER ?? process.env.USER ?? 'postgres';
  return {
    engine: 'pg',
    host: fromUrl.host ?? options.host ?? process.env.PGHOST ?? 'localhost',
    port: Number(fromUrl.port ?? options.port ?? process.env.PGPORT ?? 5432),
    database: fromUrl.database ?? options.database ?? process.env.PGDATABASE ?? user,
    user,
  };
}

/** `database "app" on db.internal:5432 as "app_owner"`, or the embedded engine's folder. */
export function describeTarget(target: ConnectionTarget): string {
  if (target.engine === 'pglite') return target.dataDir === undefined ? 'the in-memory PGlite database' : `the PGlite database in ${target.dataDir}`;
  return `database "${target.database}" on ${target.host}:${target.port} as "${target.user}"`;
}
