import { runConformance } from '@tenantvec/conformance';
import { startQdrantEmulator, startedOnFirstUse } from '@tenantvec/emulators/qdrant';
import { qdrant } from './index.js';

/** One emulator for every handle of the run, started on first use. */
const emulator = startedOnFirstUse(startQdrantEmulator);

runConformance({
  name: 'qdrant',
  async create(settings = {}) {
    const { url } = await emulator.running();
    return qdrant({ url, retry: { baseDelayMs: 5 }, ...settings });
  },
  teardown: () => emulator.stop(),
});

runConformance({
  name: 'qdrant-live',
  unavailable: () => (process.env.QDRANT_URL === undefined ? 'QDRANT_URL is not set' : undefined),
  async create(settings = {}) {
    return qdrant({ url: process.env.QDRANT_URL!, ...settings });
  },
  async teardown() {
    // Teardown runs available or not.
    if (process.env.QDRANT_URL === undefined) return;
    // Test stores are named `t<pid>_…` (uniqueStoreName): drop what this run created.
    const { client } = qdrant({ url: process.env.QDRANT_URL });
    const prefix = `t${process.pid.toString(36)}-`;
    const { collections } = await client.getCollections();
    for (const { name } of collections.filter((collection) => collection.name.startsWith(prefix))) await client.deleteCollection(name);
  },
});
