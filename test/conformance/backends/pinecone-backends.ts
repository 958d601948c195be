import { pinecone } from '@tenantvec/pinecone';
import { startPineconeEmulator, type PineconeEmulator } from '../../emulators/pinecone/pinecone-emulator.js';
import type { BackendUnderTest } from '../backend-under-test.js';

export const pineconeBackends: BackendUnderTest[] = [
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
