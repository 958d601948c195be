import { weaviate } from '@tenantvec/weaviate';
import { startWeaviateEmulator, type WeaviateEmulator } from '../../emulators/weaviate/weaviate-emulator.js';
import type { BackendUnderTest } from '../backend-under-test.js';

/** One Weaviate emulator (REST and gRPC) for every handle of the run, started on first use. */
let weaviateEmulator: Promise<WeaviateEmulator> | undefined;

export const weaviateBackends: BackendUnderTest[] = [
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
