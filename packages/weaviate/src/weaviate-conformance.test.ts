import { runConformance } from '@tenantvec/conformance';
import { startWeaviateEmulator, type WeaviateEmulator } from '@tenantvec/emulators/weaviate';
import { weaviate } from './index.js';

/** One emulator (REST and gRPC) for every handle of the run, started on first use. */
let emulator: Promise<WeaviateEmulator> | undefined;

runConformance({
  name: 'weaviate',
  async create(settings = {}) {
    emulator ??= startWeaviateEmulator();
    const { httpHost, httpPort, grpcHost, grpcPort } = await emulator;
    return weaviate({ httpHost, httpPort, grpcHost, grpcPort, ...settings });
  },
  async teardown() {
    const started = emulator;
    emulator = undefined;
    await (await started)?.stop();
  },
});

runConformance({
  name: 'weaviate-live',
  unavailable: () => (process.env.WEAVIATE_URL ? undefined : 'set WEAVIATE_URL (and WEAVIATE_GRPC_URL, WEAVIATE_API_KEY as needed) to run against a real Weaviate'),
  async create(settings = {}) {
    return weaviate({ vectorIndexType: 'flat', ...settings });
  },
});
