import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The gRPC service definitions that ship inside weaviate-client (ts-proto output of Weaviate's
 * own .proto files). The package's `exports` hide them, so they are loaded by file path: the
 * emulator then encodes and decodes exactly the bytes the client does.
 */
type MessageCodec = { fromPartial(object: unknown): unknown };
// The definitions are plain objects nice-grpc reads; their exact types stay inside the client.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ServiceDefinition = any;

const clientEntry = createRequire(import.meta.url).resolve('weaviate-client');
const protoRoot = join(dirname(clientEntry), '..', 'esm', 'proto');

async function load(relative: string): Promise<Record<string, unknown>> {
  return (await import(pathToFileURL(join(protoRoot, relative)).href)) as Record<string, unknown>;
}

export interface ProtoDefinitions {
  weaviate: ServiceDefinition;
  health: ServiceDefinition;
  searchReply: MessageCodec;
}

let loaded: Promise<ProtoDefinitions> | undefined;

export function protoDefinitions(): Promise<ProtoDefinitions> {
  loaded ??= (async () => {
    const [service, health, search] = await Promise.all([
      load('v1/weaviate.js'),
      load('google/health/v1/health.js'),
      load('v1/search_get.js'),
    ]);
    return {
      weaviate: service.WeaviateDefinition,
      health: health.HealthDefinition,
      searchReply: search.SearchReply as MessageCodec,
    };
  })();
  return loaded;
}
