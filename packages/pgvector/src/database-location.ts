import type { BackendDescription } from '@tenantvec/core';
import type { PGliteDatabase as PGlite } from './database-drivers.js';
import type { Pool } from 'pg';

/**
 * Host, port and database of a libpq connection string, URL or keyword form, without the user's
 * password: what a report prints so that nobody mistakes one database for another.
 */
export function describeConnectionString(connectionString: string, detail?: string): BackendDescription {
  const description: BackendDescription = { kind: 'pgvector' };
  if (/^postgres(ql)?:\/\//i.test(connectionString)) {
    try {
      const url = new URL(connectionString);
      const socketHost = url.searchParams.get('host');
      const host = decodeURIComponent(url.hostname) || socketHost || 'localhost';
      const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
      Object.assign(description, { host, port: url.port === '' ? 5432 : Number(url.port) }, database === '' ? {} : { database });
    } catch {
      description.detail = 'an unparsable connection string';
    }
  } else {
    const keywords = new Map([...connectionString.matchAll(/(\w+)\s*=\s*('(?:[^'\\]|\\.)*'|\S+)/g)].map(([, key, value]) => [key!, value!.replace(/^'|'$/g, '')]));
    Object.assign(
      description,
      { host: keywords.get('host') ?? 'localhost', port: Number(keywords.get('port') ?? 5432) },
      keywords.has('dbname') ? { database: keywords.get('dbname') } : {},
    );
  }
  if (detail !== undefined) description.detail = detail;
  return description;
}

export function describePool(pool: Pool): BackendDescription {
  const options = (pool as { options?: { connectionString?: string; host?: string; port?: number; database?: string } }).options ?? {};
  if (options.connectionString !== undefined) return describeConnectionString(options.connectionString, 'a pool handed in');
  return {
    kind: 'pgvector',
    host: options.host ?? process.env['PGHOST'] ?? 'localhost',
    port: Number(options.port ?? process.env['PGPORT'] ?? 5432),
    ...(options.database === undefined ? {} : { database: options.database }),
    detail: 'a pool handed in',
  };
}

export function describeEmbedded(storage: { dataDir?: string; pglite?: PGlite }): BackendDescription {
  if (storage.pglite !== undefined) {
    const dataDir = (storage.pglite as { dataDir?: unknown }).dataDir;
    return typeof dataDir === 'string' && dataDir !== '' && !dataDir.startsWith('memory://')
      ? { kind: 'pglite', dataDir, detail: 'an instance handed in' }
      : { kind: 'pglite', detail: 'an instance handed in' };
  }
  return storage.dataDir === undefined ? { kind: 'pglite', inMemory: true } : { kind: 'pglite', dataDir: storage.dataDir };
}
