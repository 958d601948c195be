import { memoryBackend, type VectorBackend } from '@tenantvec/core';
import { qdrant } from '@tenantvec/qdrant';
import { startQdrantEmulator, type QdrantEmulator } from '../emulators/qdrant/qdrant-emulator.js';

/**
 * The backends the conformance suite runs against. Each backend issue adds its entry here; the
 * suite runs every entry × every strategy. Narrow a run with
 * `TENANTVEC_BACKENDS=memory,pglite` and `TENANTVEC_STRATEGIES=metadata-filter`.
 */
export interface BackendUnderTest {
  name: string;
  /**
   * Why this backend cannot run here (a live service without its env var); undefined when it
   * can. Only live suites may be unavailable: emulated and embedded backends always run.
   */
  unavailable?: () => string | undefined;
  /**
   * A backend handle for one test store. Handles may share one connection or engine; closing a
   * handle must not close what it shares. Tests keep apart through unique store names.
   */
  create(settings?: { maxBatchSize?: number }): Promise<VectorBackend>;
  /** Releases what the handles shared, once the suite is done. */
  teardown?(): Promise<void>;
}

/** One Qdrant emulator for every handle of the run, started on first use. */
let qdrantEmulator: Promise<QdrantEmulator> | undefined;

export const backendsUnderTest: BackendUnderTest[] = [
  {
    name: 'memory',
    async create(settings = {}) {
      return memoryBackend(settings);
    },
  },
  {
    name: 'qdrant',
    async create(settings = {}) {
      qdrantEmulator ??= startQdrantEmulator();
      const { url } = await qdrantEmulator;
      return qdrant({ url, retry: { baseDelayMs: 5 }, ...settings });
    },
    async teardown() {
      const emulator = qdrantEmulator;
      qdrantEmulator = undefined;
      await (await emulator)?.stop();
    },
  },
  {
    name: 'qdrant-live',
    unavailable: () => (process.env.QDRANT_URL === undefined ? 'QDRANT_URL is not set' : undefined),
    async create(settings = {}) {
      return qdrant({ url: process.env.QDRANT_URL!, ...settings });
    },
    async teardown() {
      // Teardown runs for every selected entry, available or not.
      if (process.env.QDRANT_URL === undefined) return;
      // Test stores are named `t<pid>_…` (uniqueStoreName): drop what this run created.
      const { client } = qdrant({ url: process.env.QDRANT_URL });
      const prefix = `t${process.pid.toString(36)}-`;
      const { collections } = await client.getCollections();
      for (const { name } of collections.filter((collection) => collection.name.startsWith(prefix))) await client.deleteCollection(name);
    },
  },
];
