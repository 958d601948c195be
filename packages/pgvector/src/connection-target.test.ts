import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigurationError } from '@tenantvec/core';
import { describeConnectionOptions, describePool } from './connection-target.js';
import { pgvector } from './index.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

/** Where pg itself connects with these options (it resolves them when a client is made, without connecting). */
function wherePgConnects(options: pg.ClientConfig) {
  const { host, port, database } = (new pg.Client(options) as unknown as { connectionParameters: { host: string; port: number; database: string } }).connectionParameters;
  return { host, port, database };
}

const cases: { name: string; connectionString: string; environment?: Record<string, string> }[] = [
  { name: 'a URL with no host, PGHOST set', connectionString: 'postgres:///app', environment: { PGHOST: 'db.prod.internal', PGPORT: '6543' } },
  { name: 'a URL with no database, PGDATABASE set', connectionString: 'postgres://app@db.internal', environment: { PGDATABASE: 'tenants' } },
  { name: 'an empty host after the user', connectionString: 'postgres://app:pw@/tenants', environment: { PGHOST: 'db.prod.internal' } },
  { name: 'a socket folder in ?host=', connectionString: 'postgres://app@localhost/tenants?host=/var/run/postgresql' },
  { name: 'a host and port in the query', connectionString: 'postgresql://app@ignored:1/tenants?host=db.internal&port=6000' },
  { name: 'a bracketed IPv6 host', connectionString: 'postgres://app@[::1]:5433/tenants' },
  { name: 'a socket folder and database', connectionString: '/var/run/postgresql tenants' },
];

describe('one parser, resolving a connection as pg does', () => {
  for (const { name, connectionString, environment = {} } of cases) {
    it(`describe() and error messages name where pg connects: ${name}`, () => {
      for (const [key, value] of Object.entries({ PGHOST: '', PGPORT: '', PGDATABASE: '', PGUSER: '', ...environment })) vi.stubEnv(key, value);
      const expected = wherePgConnects({ connectionString });
      const { host, port, database } = pgvector({ connectionString }).describe();
      expect({ host, port, database }).toEqual(expected);
      expect(describeConnectionOptions({ connectionString })).toMatchObject(expected);
    });
  }

  it('a pool made from fields falls to PG* variables for what it lacks; a connection string replaces its fields', () => {
    vi.stubEnv('PGHOST', 'db.prod.internal');
    vi.stubEnv('PGPORT', '6543');
    const fields = new pg.Pool({ database: 'tenants' });
    expect(pgvector({ pool: fields }).describe()).toEqual({ kind: 'pgvector', ...wherePgConnects({ database: 'tenants' }), detail: 'a pool handed in' });
    expect(describePool(fields)).toMatchObject({ host: 'db.prod.internal', port: 6543, database: 'tenants' });
    const both = { connectionString: 'postgres://app@db.internal/app', host: 'other', port: 7777, database: 'other' };
    expect(describePool(new pg.Pool(both))).toMatchObject(wherePgConnects(both));
    expect(describePool(new pg.Pool(both))).toMatchObject({ host: 'db.internal', port: 6543, database: 'app' });
  });

  it('refuses a keyword/value string, which pg would send to a host named "base", without repeating it', () => {
    expect(wherePgConnects({ connectionString: 'host=pg.example dbname=app' }).host).toBe('base');
    let refusal: unknown;
    try {
      pgvector({ connectionString: "host=pg.example port=5433 dbname=app password='hunter2'" });
    } catch (error) {
      refusal = error;
    }
    expect(ConfigurationError.isInstance(refusal)).toBe(true);
    expect((refusal as Error).message).toBe(
      'Invalid pgvector settings: pgvector.connectionString: must be a URL (postgres://user@host:port/database): pg does not read the keyword/value form.',
    );
    expect((refusal as Error).message).not.toContain('hunter2');
  });
});
