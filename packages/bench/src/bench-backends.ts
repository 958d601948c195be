import { ConfigurationError, loadBackendDescriptor, type VectorBackend } from '@tenantvec/core';
import type { BackendDescriptor, BenchRun } from '@tenantvec/core/backend';

/** A backend opened for one strategy's run: empty, and removed again by `dispose`. */
export type OpenedBackend = BenchRun;

export interface BenchBackend {
  name: string;
  /** Runs with no server (the default of `tenantvec bench` is embedded). */
  embedded: boolean;
  /** `run` names the strategy's run: a schema, a prefix, anything that keeps two runs apart. */
  open(params: { settings: Record<string, unknown>; run: string; environment: Record<string, string | undefined> }): Promise<OpenedBackend>;
}

/**
 * A bench entry for a backend type, its behaviour all from the type's descriptor: the package's
 * bench hook (Postgres reports storage and versions, and runs each strategy in its own schema),
 * else its factory on the config's settings, with nothing to report and nothing to remove.
 */
export function descriptorBenchBackend(type: string, embedded = false, load: (type: string) => Promise<BackendDescriptor> = (name) => loadBackendDescriptor({ type: name })): BenchBackend {
  return {
    name: type,
    embedded,
    async open(params) {
      const descriptor = await load(type);
      if (descriptor.bench !== undefined) return descriptor.bench.open(params);
      const backend: VectorBackend = await descriptor.create(params.settings);
      return { backend, dispose: async () => {}, disposeRemovesData: false };
    },
  };
}

/**
 * The backends `tenantvec bench` offers by name, for its help and its default; any other
 * installed backend type (or package name) runs too. A package that is not installed is
 * reported when its backend is chosen, not before.
 */
export const benchBackends: readonly BenchBackend[] = [
  descriptorBenchBackend('memory', true),
  descriptorBenchBackend('pglite', true),
  ...['pgvector', 'qdrant', 'pinecone', 'weaviate'].map((type) => descriptorBenchBackend(type)),
];

export function benchBackend(name: string, backends: readonly BenchBackend[] = benchBackends): BenchBackend {
  const entry = backends.find((backend) => backend.name === name);
  if (entry !== undefined) return entry;
  if (backends !== benchBackends) throw new ConfigurationError(`Unknown backend ${JSON.stringify(name)}; known: ${backends.map((backend) => backend.name).join(', ')}.`);
  return descriptorBenchBackend(name);
}
