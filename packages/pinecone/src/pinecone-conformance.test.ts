import { runConformance } from '@tenantvec/conformance';
import { startPineconeEmulator, startedOnFirstUse } from '@tenantvec/emulators/pinecone';
import { pinecone } from './index.js';

/** One emulator for every handle of the run, started on first use. */
const emulator = startedOnFirstUse(startPineconeEmulator);

runConformance({
  name: 'pinecone',
  async create(settings = {}) {
    const running = await emulator.running();
    return pinecone({ ...settings, apiKey: running.apiKey, controllerHostUrl: running.controllerHostUrl });
  },
  teardown: () => emulator.stop(),
});

runConformance({
  name: 'pinecone-live',
  unavailable: () => (process.env.PINECONE_API_KEY ? undefined : 'set PINECONE_API_KEY to run against a real Pinecone project'),
  async create(settings = {}) {
    // Real writes can take seconds to show; every store creates real indexes (see the package README).
    return pinecone({ ...settings, freshnessTimeoutMs: 60_000 });
  },
  async teardown() {
    if (!process.env.PINECONE_API_KEY) return;
    // Store names start with this process's id (uniqueStoreName): remove the indexes this run made.
    const cleaner = pinecone();
    for (const { name } of await cleaner.listCollections({ prefix: `t${process.pid.toString(36)}-` })) {
      await cleaner.dropCollection({ collection: name });
    }
  },
});
