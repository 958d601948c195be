import { memoryBackend, type VectorBackend } from '@tenantvec/core';
import { pinecone } from '@tenantvec/pinecone';
import { startPineconeEmulator, type PineconeEmulator } from '../emulators/pinecone/pinecone-emulator.js';

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

export const backendsUnderTest: BackendUnderTest[] = [
  {
    name: 'memory',
    async create(settings = {}) {
      return memoryBackend(settings);
    },
  },
  pineconeEmulated(),
  {
    name: 'pinecone-live',
    unavailable: () => (process.env.PINECONE_API_KEY ? undefined : 'set PINECONE_API_KEY to run against a real Pinecone project'),
    async create(settings = {}) {
      // Real writes can take seconds to show; every store creates real indexes (see the package README).
      return pinecone({ ...settings, freshnessTimeoutMs: 60_000 });
    },
    async teardown() {
      if (!process.env.PINECONE_API_KEY) return;
      // Store names start with this process's id (support/vectors.ts): remove the indexes this run made.
      const cleaner = pinecone();
      for (const { name } of await cleaner.listCollections({ prefix: `t${process.pid.toString(36)}-` })) {
        await cleaner.dropCollection({ collection: name });
      }
    },
  },
];

/** The pinecone adapter against one strict emulator shared by every handle, started on first use. */
function pineconeEmulated(): BackendUnderTest {
  let emulator: Promise<PineconeEmulator> | undefined;
  return {
    name: 'pinecone',
    async create(settings = {}) {
      emulator ??= startPineconeEmulator();
      const running = await emulator;
      return pinecone({ ...settings, apiKey: running.apiKey, controllerHostUrl: running.controllerHostUrl });
    },
    async teardown() {
      const running = emulator;
      emulator = undefined;
      await (await running)?.stop();
    },
  };
}
