import { qdrant } from '@tenantvec/qdrant';
import { startQdrantEmulator, type QdrantEmulator } from '../../emulators/qdrant/qdrant-emulator.js';
import type { BackendUnderTest } from '../backend-under-test.js';

/** One Qdrant emulator for every handle of the run, started on first use. */
let qdrantEmulator: Promise<QdrantEmulator> | undefined;

export const qdrantBackends: BackendUnderTest[] = [
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
