import { runConformance } from '@tenantvec/conformance';
import { startWeaviateEmulator, startedOnFirstUse } from '@tenantvec/emulators/weaviate';
import { weaviate } from './index.js';

/** One emulator for every handle of the run, started on first use. */
const emulator = startedOnFirstUse(startWeaviateEmulator);

runConformance({
  name: 'weaviate',
  async create(settings = {}) {
    const { httpHost, httpPort, grpcHost, grpcPort } = await emulator.running();
    return weaviate({ httpHost, httpPort, grpcHost, grpcPort, ...settings });
  },
  teardown: () => emulator.stop(),
});

runConformance({
  name: 'weaviate-live',
  unavailable: () => (process.env.WEAVIATE_URL ? undefined : 'set WEAVIATE_URL (and WEAVIATE_GRPC_URL, WEAVIATE_API_KEY as needed) to run against a real Weaviate'),
  async create(settings = {}) {
    return weaviate({ vectorIndexType: 'flat', ...settings });
  },
});
