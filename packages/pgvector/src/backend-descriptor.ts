import { BACKEND_DESCRIPTOR_VERSION, baselineBands, type BackendDecision, type BackendDescriptor, type Threshold } from '@tenantvec/core/backend';
import { pgliteBench, pgvectorBench } from './bench-hooks.js';
import { embeddedRecordLimit } from './embedded-limit.js';
import { pglite, pgvector } from './index.js';
import { pgliteOnlySettings, pgliteSettingsSchema, pgvectorSettingsSchema, serverOnlySettings, type PgliteSettings, type PgvectorSettings } from './pgvector-settings.js';

const pgvectorShared: Threshold = {
  value: Number.POSITIVE_INFINITY,
  source:
    'tenantvec default: a shared table hash-partitioned on the tenant key (64 partitions) holds any number of tenants; measured at 200,000 rows, a tenant query plans in 0.18 ms with 1,000 tenants indexed and 0.29 ms with 3,000, against 21 and 47 ms on one unpartitioned table. Partition pruning: https://www.postgresql.org/docs/current/ddl-partitioning.html#DDL-PARTITION-PRUNING',
};

/** Postgres's limits for the decision helper, the same on a server and embedded. */
export const pgvectorDecision: BackendDecision = {
  profile: () => ({
    ceilings: {
      'collection-per-tenant': { value: 1_000, source: 'tenantvec default: a table per tenant costs catalog entries, autovacuum work and one HNSW index each' },
      'namespace-per-tenant': { value: 3_000, source: 'query planning slows as partitions grow; a few thousand is the practical limit: https://www.postgresql.org/docs/current/ddl-partitioning.html#DDL-PARTITIONING-GUIDANCE' },
      // The shared tables are hash-partitioned on the tenant key, so planning stays flat as tenants grow.
      'metadata-filter': pgvectorShared,
      'source-prefix': pgvectorShared,
    },
    collectionPreferredBelow: baselineBands.collectionBelow,
    namespacePreferredUpTo: baselineBands.namespaceUpTo,
    dedicatedAbove: { value: 100_000, source: 'tenantvec default: a shared-table tenant past partialIndexAbove already searches an HNSW graph of its own on its partition; past this its index builds and rebuilds (as it doubles) are long enough to want a table of its own' },
    keyword: { statistics: 'scope', source: 'exact BM25 in one statement, statistics from the rows inside the walls only (keyword-statements.ts)' },
  }),
};

/** The same limits embedded, and the store size past which a server is the right choice. */
export const pgliteDecision: BackendDecision = {
  profile: (params) => ({ ...pgvectorDecision.profile(params), recordLimit: embeddedRecordLimit }),
};

const createServer = (settings: Record<string, unknown>) => pgvector(settings as PgvectorSettings);
const createEmbedded = (settings: Record<string, unknown>) => pglite(settings as PgliteSettings);

export const pgvectorBackendDescriptor: BackendDescriptor = {
  descriptorVersion: BACKEND_DESCRIPTOR_VERSION,
  type: 'pgvector',
  packageName: '@tenantvec/pgvector',
  settingsSchema: pgvectorSettingsSchema,
  misplacedSettings: pgliteOnlySettings,
  create: createServer,
  decision: pgvectorDecision,
  readOnlySetting: true,
  bench: pgvectorBench(createServer),
};

export const pgliteBackendDescriptor: BackendDescriptor = {
  descriptorVersion: BACKEND_DESCRIPTOR_VERSION,
  type: 'pglite',
  packageName: '@tenantvec/pgvector',
  settingsSchema: pgliteSettingsSchema,
  misplacedSettings: serverOnlySettings,
  create: createEmbedded,
  decision: pgliteDecision,
  embedded: true,
  readOnlySetting: true,
  bench: pgliteBench(createEmbedded),
};

/** What `@tenantvec/core` looks for in this package: `type: pgvector` and `type: pglite`. */
export const backendDescriptors: readonly BackendDescriptor[] = [pgvectorBackendDescriptor, pgliteBackendDescriptor];
