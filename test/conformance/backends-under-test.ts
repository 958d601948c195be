import { memoryBackend, type VectorBackend } from '@tenantvec/core';
import { weaviate } from '@tenantvec/weaviate';
import { startWeaviateEmulator, type WeaviateEmulator } from '../emulators/weaviate/weaviate-emulator.js';

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

let weaviateEmulator: Promise<WeaviateEmulator> | undefined;

export const backendsUnderTest: BackendUnderTest[] = [
  {
    name: 'memory',
    async create(settings = {}) {
      return memoryBackend(settings);
    },
  },
  {
    name: 'weaviate',
    async create(settings = {}) {
      weaviateEmulator ??= startWeaviateEmulator();
      const emulator = await weaviateEmulator;
      return weaviate({ httpHost: emulator.httpHost, httpPort: emulator.httpPort, grpcHost: emulator.grpcHost, grpcPort: emulator.grpcPort, ...settings });
    },
    async teardown() {
      const started = weaviateEmulator;
      weaviateEmulator = undefined;
      await (await started)?.stop();
    },
  },
  {
    name: 'weaviate-live',
    unavailable: () => (process.env.WEAVIATE_URL ? undefined : 'set WEAVIATE_URL (and WEAVIATE_GRPC_URL, WEAVIATE_API_KEY as needed) to run against a real Weaviate'),
    async create(settings = {}) {
      return weaviate({ vectorIndexType: 'flat', ...settings });
    },
  },
];
