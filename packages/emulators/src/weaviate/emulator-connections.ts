import { createChannel, createClient, type Channel } from 'nice-grpc';
import weaviate, { type WeaviateClient } from 'weaviate-client';
import { protoDefinitions } from './proto-definitions.js';
import { startWeaviateEmulator, type WeaviateEmulator } from './weaviate-emulator.js';

/**
 * For the emulator's own tests: a started emulator, weaviate-client connected to it (what the
 * client really sends), and a raw nice-grpc client made from the same service definitions, for
 * malformed requests the client would not build.
 */
export interface EmulatorConnections {
  emulator: WeaviateEmulator;
  client: WeaviateClient;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  raw: any;
  close(): Promise<void>;
}

export async function connectToEmulator(): Promise<EmulatorConnections> {
  const emulator = await startWeaviateEmulator();
  const client = await weaviate.connectToCustom({ httpHost: emulator.httpHost, httpPort: emulator.httpPort, grpcHost: emulator.grpcHost, grpcPort: emulator.grpcPort });
  const channel: Channel = createChannel(`${emulator.grpcHost}:${emulator.grpcPort}`);
  const raw: unknown = createClient((await protoDefinitions()).weaviate, channel);
  return {
    emulator,
    client,
    raw,
    async close() {
      await client.close();
      channel.close();
      await emulator.stop();
    },
  };
}
