import { runConformance, type BackendUnderTest } from '@tenantvec/conformance';
import { startPineconeEmulator, startedOnFirstUse } from '@tenantvec/emulators/pinecone';
import { pinecone } from './index.js';

/** One emulator for every handle of the run, started on first use. */
const emulator = startedOnFirstUse(startPineconeEmulator);

const emulated: BackendUnderTest = {
  name: 'pinecone',
  async create(settings = {}) {
    const running = await emulator.running();
    return pinecone({ ...settings, apiKey: running.apiKey, controllerHostUrl: running.controllerHostUrl });
  },
  teardown: () => emulator.stop(),
};

runConformance(emulated);
// Pinecone searches keywords only in dotproduct indexes: on cosine the suite checks core's
// refusal, here keyword and hybrid queries run for real under every strategy.
runConformance(emulated, { metric: 'dot', suites: ['keyword', 'documents'] });

const live: BackendUnderTest = {
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
};

runConformance(live);
// Only the keyword suite again on dot: every live store is a real index, and plans cap them.
runConformance(live, { metric: 'dot', suites: ['keyword'] });
