import { adapterPackages, ConfigurationError, memoryBackend, type VectorBackend } from '@tenantvec/core';
import type { HandWrittenAccess } from './hand-written-sql.js';
import { factoryOf, importAdapter } from './import-adapter.js';
import { pgliteBenchBackend, pgvectorBenchBackend } from './pgvector-bench-backends.js';

/** A backend opened for one strategy's run: empty, and removed again by `dispose`. */
export interface OpenedBackend {
  backend: VectorBackend;
  /** Bytes of everything the run stored (tables, indexes), when the backend can tell. */
  storageBytes?: () => Promise<number>;
  /** Server and extension versions for the report. */
  version?: () => Promise<string>;
  /** Removes what the run stored and closes what `open` opened; the store is closed first. */
  dispose: () => Promise<void>;
  /** Postgres backends: what the "hand-written SQL, same plan" baseline needs to reach the same tables. */
  handWritten?: HandWrittenAccess;
  /** Records at which a key gets its own vector index, where the backend builds one per key. */
  indexThreshold?: number;
  /** `dispose` removes every tenant's data; otherwise the runner drops the tenants left. */
  disposeRemovesData: boolean;
}

export interface BenchBackend {
  name: string;
  /** Runs with no server (the default of `tenantvec bench` is embedded). */
  embedded: boolean;
  /** The adapter package, for the "not installed" message. */
  packageName?: string;
  /** `run` names the strategy's run: a schema, a prefix, anything that keeps two runs apart. */
  open(params: { settings: Record<string, unknown>; run: string; environment: Record<string, string | undefined> }): Promise<OpenedBackend>;
}

/** A backend whose adapter takes its settings from the config and has no way to report storage. */
function adapterBackend(name: 'qdrant' | 'pinecone' | 'weaviate'): BenchBackend {
  const { packageName, factory } = adapterPackages.backend[name];
  return {
    name,
    embedded: false,
    packageName,
    async open({ settings }) {
      const create = factoryOf<(settings: Record<string, unknown>) => VectorBackend | Promise<VectorBackend>>(await importAdapter(packageName, name), factory, packageName);
      return { backend: await create(settings), dispose: async () => {}, disposeRemovesData: false };
    },
  };
}

/**
 * Every backend the bench can run on, one entry each. An adapter package that is not installed
 * is reported when the backend is chosen, not before.
 */
export const benchBackends: readonly BenchBackend[] = [
  {
    name: 'memory',
    embedded: true,
    async open() {
      return { backend: memoryBackend(), dispose: async () => {}, disposeRemovesData: true };
    },
  },
  pgliteBenchBackend,
  pgvectorBenchBackend,
  adapterBackend('qdrant'),
  adapterBackend('pinecone'),
  adapterBackend('weaviate'),
];

export function benchBackend(name: string, backends: readonly BenchBackend[] = benchBackends): BenchBackend {
  const entry = backends.find((backend) => backend.name === name);
  if (entry === undefined) throw new ConfigurationError(`Unknown backend ${JSON.stringify(name)}; known: ${backends.map((backend) => backend.name).join(', ')}.`);
  return entry;
}
