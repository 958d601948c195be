import { runConformance } from '@tenantvec/conformance';
import { startPineconeEmulator, type PineconeEmulator } from '@tenantvec/emulators/pinecone';
import { pinecone } from './index.js';

/** One strict emulator shared by every handle, started on first use. */
let emulator: Promise<PineconeEmulator> | undefined;

runConformance({
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
