import { BACKEND_DESCRIPTOR_VERSION, baselineBands, sharedCeilings, type BackendDecision, type BackendDescriptor } from '@tenantvec/core/backend';
import { pgliteBench, pgvectorBench } from './bench-hooks.js';
import { pglite, pgvector } from './index.js';
import { pgliteOnlySettings, pgliteSettingsSchema, pgvectorSettingsSchema, serverOnlySettings, type PgliteSettings, type PgvectorSettings } from './pgvector-settings.js';

/** Postgres's limits for the decision helper, the same on a server and embedded. */
export const pgvectorDecision: BackendDecision = {
  profile: () => ({
    ceilings: {
      'collection-per-tenant': { value: 1_000, source: 'tenantvec default: a table per tenant costs catalog entries, autovacuum work and one HNSW index each' },
      'namespace-per-tenant': { value: 3_000, source: 'query planning slows as partitions grow; a few thousand is the practical limit: https://www.postgresql.org/docs/current/ddl-partitioning.html#DDL-PARTITIONING-GUIDANCE' },
      ...sharedCeilings,
    },
    collectionPreferredBelow: baselineBands.collectionBelow,
    namespacePreferredUpTo: baselineBands.namespaceUpTo,
    dedicatedAbove: { value: 100_000, source: 'tenantvec default: past this a tenant needs its own HNSW index, as filtered approximate search loses recall: https://github.com/pgvector/pgvector#filtering' },
  }),
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
  decision: pgvectorDecision,
  embedded: true,
  readOnlySetting: true,
  bench: pgliteBench(createEmbedded),
};

/** What `@tenantvec/core` looks for in this package: `type: pgvector` and `type: pglite`. */
export const backendDescriptors: readonly BackendDescriptor[] = [pgvectorBackendDescriptor, pgliteBackendDescriptor];
