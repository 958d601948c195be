import { ConfigurationError, objectWith } from '@tenantvec/core/backend';
import { z } from 'zod';
import type { PGliteDatabase as PGlite } from './database-drivers.js';
import type { Pool } from 'pg';

/**
 * Where the server is, for `pgvector()`. At most one; with neither, `DATABASE_URL` from the
 * environment, and with no `DATABASE_URL` either the backend refuses to start: a server backend
 * never quietly becomes an embedded one.
 */
export type PgvectorConnection =
  | { connectionString: string; pool?: never }
  /** A ready pool; the backend never ends it, its owner does. */
  | { pool: Pool; connectionString?: never }
  | { connectionString?: never; pool?: never };

/** Where the embedded database is, for `pglite()`. At most one; with neither, in memory. */
export type PgliteStorage =
  /** Persisted in this folder. */
  | { dataDir: string; pglite?: never }
  /** A ready PGlite instance with the pgvector extension loaded; never closed by the backend. */
  | { pglite: PGlite; dataDir?: never }
  | { dataDir?: never; pglite?: never };

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
  /**
   * `maintenance_work_mem` of the session that builds an HNSW index, in megabytes. A graph that
   * does not fit is built on disk and the build crawls; set for the build only, never server-wide.
   * @default 512
   */
  buildMemoryMegabytes?: number;
  /**
   * An index is rebuilt once its table or tenant holds this many times the records it was built
   * on; 0 never rebuilds. A graph built on the first 2,000 records and grown by inserts to
   * 26,586 stranded a query of the bench's clustered workload (recall@10 0 at ef_search 200);
   * rebuilt as the tenant doubled, the worst query kept 9 of 10 (scripts/worst-query.mjs).
   * @default 2
   */
  rebuildFactor?: number;
}

/** What both engines share: everything but where the database is. */
export interface PgvectorOptions {
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
   * Roles an administrator created ahead of time (the SQL from `printSetupSql()`), for a login
   * that may not create roles: the migration then creates and grants no role, and checks that
   * both exist, are NOLOGIN-safe (no BYPASSRLS) and are granted to the login. Replaces
   * `rolePrefix`. @default undefined (the migration creates `<rolePrefix>_app` and `_admin`)
   */
  roles?: { app: string; admin: string };
  /**
   * Whether the migration runs `CREATE EXTENSION IF NOT EXISTS vector`, which needs a superuser.
   * `false` when an administrator created the extension: the migration only checks it is there.
   * @default true
   */
  createExtension?: boolean;
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
  /**
   * How long a key's size (records, indexed), read once from the catalogue, plans queries before
   * the next query re-reads it in the same round trip. Another process's writes reach the plan
   * within this time; until then a stale size costs speed, never correctness. @default 2000
   */
  keySizeLifetimeMs?: number;
  /**
   * Hash partitions of each new table tenants share (metadata-filter, source-prefix), on the
   * tenant key. A tenant's query plans only its own partition, so the planner tests the partial
   * indexes of one partition, not of every large tenant: with 1,000 indexed tenants on one table
   * a query spends about 13 ms planning, spread over 64 partitions well under 1 ms
   * (scripts/planning-cliff.sql). 1 keeps one plain table. Fixed when the collection is created:
   * tables created before keep their layout. @default 64
   */
  sharedTablePartitions?: number;
  /** Most records one upsert may carry; each batch is one statement. @default 500 */
  maxBatchSize?: number;
  /**
   * The Postgres text-search configuration keyword search analyses texts and queries with
   * (`english` stems and drops stop words, `simple` only lowercases and splits). Fixed when a
   * collection is created, since its stored `tsvector` column is built with it: opening a
   * collection made with another configuration is refused. Only `simple` splits texts as core's
   * analyser does, so only it ranks exactly as the memory reference. @default 'simple'
   */
  textSearchConfiguration?: string;
  hnsw?: HnswSettings;
  /**
   * Opens without migrating and refuses every write: on a database without the tenantvec schema
   * every call fails saying so, and nothing is created. For inspection. @default false
   */
  readOnly?: boolean;
}

export type PgvectorSettings = PgvectorConnection & PgvectorOptions;
export type PgliteSettings = PgliteStorage & PgvectorOptions;

const wholeNumber = z.number().int();

/** One line per setting, so that a new one is one line here and one in the interface above. */
const optionsShape = {
  schema: z.string().optional(),
  rowLevelSecurity: z.boolean().optional(),
  rolePrefix: z.string().optional(),
  roles: z.strictObject({ app: z.string(), admin: z.string() }).optional(),
  createExtension: z.boolean().optional(),
  exactScanBelow: wholeNumber.optional(),
  partialIndexAbove: wholeNumber.optional(),
  keySizeLifetimeMs: wholeNumber.optional(),
  sharedTablePartitions: wholeNumber.optional(),
  maxBatchSize: wholeNumber.optional(),
  textSearchConfiguration: z.string().optional(),
  hnsw: z.strictObject({
    m: wholeNumber.optional(),
    efConstruction: wholeNumber.optional(),
    efSearch: wholeNumber.optional(),
    maxScanTuples: wholeNumber.optional(),
    buildMemoryMegabytes: wholeNumber.optional(),
    rebuildFactor: wholeNumber.optional(),
  }).optional(),
  readOnly: z.boolean().optional(),
};

const onlyOne = (first: string, second: string) => (settings: Record<string, unknown>) => settings[first] === undefined || settings[second] === undefined;

export const pgvectorSettingsSchema = z.strictObject({
  connectionString: z.string().min(1, 'must be a non-empty connection string').optional(),
  pool: objectWith<Pool>('a pg.Pool', ['connect', 'end']).optional(),
  ...optionsShape,
}).refine(onlyOne('connectionString', 'pool'), { message: 'give connectionString or pool, not both' });

export const pgliteSettingsSchema = z.strictObject({
  dataDir: z.string().min(1, 'must be a folder').optional(),
  pglite: objectWith<PGlite>('a PGlite instance', ['query', 'transaction']).optional(),
  ...optionsShape,
}).refine(onlyOne('dataDir', 'pglite'), { message: 'give dataDir or pglite, not both' });

/** Settings of the other engine, explained rather than merely unknown. */
export const pgliteOnlySettings = {
  dataDir: 'a PGlite setting: embedded Postgres is pglite({ dataDir }), in a config type: pglite',
  pglite: 'a PGlite setting: embedded Postgres is pglite({ pglite }), in a config type: pglite',
};
export const serverOnlySettings = {
  connectionString: 'a server setting: PGlite is embedded; a server is pgvector({ connectionString }), in a config type: pgvector',
  pool: 'a server setting: PGlite is embedded; a server is pgvector({ pool }), in a config type: pgvector',
};

export interface ResolvedSettings {
  schema: string;
  rowLevelSecurity: boolean;
  appRole: string;
  adminRole: string;
  /** The roles were created by an administrator: the migration creates and grants none. */
  provisionedRoles: boolean;
  createExtension: boolean;
  exactScanBelow: number;
  partialIndexAbove: number;
  keySizeLifetimeMs: number;
  sharedTablePartitions: number;
  maxBatchSize: number;
  textSearchConfiguration: string;
  hnsw: Required<HnswSettings>;
  readOnly: boolean;
}

const identifierPattern = /^[a-z][a-z0-9_]{0,47}$/;
const rolePattern = /^[a-z_][a-z0-9_]{0,62}$/;
/** A configuration's name, optionally schema-qualified, as `to_regconfig` reads it unquoted. */
const configurationPattern = /^([a-z_][a-z0-9_]{0,62}\.)?[a-z_][a-z0-9_]{0,62}$/;

function provisionedRoles(settings: PgvectorSettings): { app: string; admin: string } | undefined {
  const roles = settings.roles;
  if (roles === undefined) return undefined;
  if (settings.rolePrefix !== undefined) throw new ConfigurationError('Give roles or rolePrefix, not both: roles names the two roles in full.');
  if (typeof roles !== 'object' || roles === null) throw new ConfigurationError('roles must be an object { app, admin } naming two existing roles.');
  for (const which of ['app', 'admin'] as const) {
    const name: unknown = roles[which];
    if (typeof name !== 'string' || !rolePattern.test(name)) {
      throw new ConfigurationError(`roles.${which} must be a role name of 1 to 63 lowercase letters, digits or '_'; got ${JSON.stringify(name)}.`);
    }
  }
  if (roles.app === roles.admin) throw new ConfigurationError('roles.app and roles.admin must be two different roles.');
  return { app: roles.app, admin: roles.admin };
}

/** 0 (never) or a growth of at least 2: rebuilding at every few percent would rebuild on every write. */
function rebuildFactor(value: number | undefined): number {
  const chosen = value ?? 2;
  if (!Number.isInteger(chosen) || chosen === 1 || chosen < 0 || chosen > 1000) {
    throw new ConfigurationError('hnsw.rebuildFactor must be 0 (never rebuild) or a whole number from 2 to 1000.');
  }
  return chosen;
}

function textSearchConfiguration(value: unknown): string {
  const chosen = value ?? 'simple';
  if (typeof chosen !== 'string' || !configurationPattern.test(chosen)) {
    throw new ConfigurationError(`textSearchConfiguration must name a Postgres text-search configuration (lowercase letters, digits, '_', optionally schema-qualified), such as 'simple' or 'english'; got ${JSON.stringify(chosen)}.`);
  }
  return chosen;
}

export function resolveSettings(settings: PgvectorOptions): ResolvedSettings {
  const schema = settings.schema ?? 'tenantvec';
  const rolePrefix = settings.rolePrefix ?? 'tenantvec';
  for (const [what, value] of [['schema', schema], ['rolePrefix', rolePrefix]] as const) {
    if (!identifierPattern.test(value)) {
      throw new ConfigurationError(`${what} must be 1 to 48 lowercase letters, digits or '_', starting with a letter.`);
    }
  }
  const whole = (name: string, value: number | undefined, fallback: number, minimum: number, maximum = Number.MAX_SAFE_INTEGER) => {
    const chosen = value ?? fallback;
    if (!Number.isInteger(chosen) || chosen < minimum || chosen > maximum) {
      throw new ConfigurationError(`${name} must be a whole number from ${minimum} to ${maximum}.`);
    }
    return chosen;
  };
  const roles = provisionedRoles(settings);
  if (settings.createExtension !== undefined && typeof settings.createExtension !== 'boolean') {
    throw new ConfigurationError(`createExtension must be true or false, got ${JSON.stringify(settings.createExtension)}.`);
  }
  return {
    schema,
    rowLevelSecurity: settings.rowLevelSecurity ?? true,
    appRole: roles?.app ?? `${rolePrefix}_app`,
    adminRole: roles?.admin ?? `${rolePrefix}_admin`,
    provisionedRoles: roles !== undefined,
    createExtension: settings.createExtension ?? true,
    exactScanBelow: whole('exactScanBelow', settings.exactScanBelow, 2000, 0),
    partialIndexAbove: whole('partialIndexAbove', settings.partialIndexAbove, 2000, 1),
    keySizeLifetimeMs: whole('keySizeLifetimeMs', settings.keySizeLifetimeMs, 2000, 0, 3_600_000),
    sharedTablePartitions: whole('sharedTablePartitions', settings.sharedTablePartitions, 64, 1, 1024),
    maxBatchSize: whole('maxBatchSize', settings.maxBatchSize, 500, 1, 10_000),
    textSearchConfiguration: textSearchConfiguration(settings.textSearchConfiguration),
    hnsw: {
      m: whole('hnsw.m', settings.hnsw?.m, 16, 2, 100),
      efConstruction: whole('hnsw.efConstruction', settings.hnsw?.efConstruction, 64, 4, 1000),
      efSearch: whole('hnsw.efSearch', settings.hnsw?.efSearch, 200, 1, 1000),
      maxScanTuples: whole('hnsw.maxScanTuples', settings.hnsw?.maxScanTuples, 40_000, 1),
      // Postgres's own floor is 1 MB; past 64 GB is a typo, not a graph.
      buildMemoryMegabytes: whole('hnsw.buildMemoryMegabytes', settings.hnsw?.buildMemoryMegabytes, 512, 1, 65_536),
      rebuildFactor: rebuildFactor(settings.hnsw?.rebuildFactor),
    },
    readOnly: settings.readOnly ?? false,
  };
}
