/**
 * A strict in-process emulator of Weaviate 1.33 (REST + gRPC), for driving weaviate-client
 * 3.12 in tests: the real server cannot run here.
 *
 * Implements:
 * - REST: GET /v1/meta, /v1/.well-known/*, GET|POST /v1/schema, GET|DELETE /v1/schema/{class},
 *   POST /v1/schema/{class}/properties, GET|POST|PUT|DELETE /v1/schema/{class}/tenants,
 *   GET|HEAD /v1/schema/{class}/tenants/{name}. Schema bodies are checked against the OpenAPI
 *   `Class`/`Property`/`InvertedIndexConfig` shapes (unknown keys, names, data types,
 *   tokenization, `indexSearchable` on non-text, BM25 k1 ≥ 0 and 0 ≤ b ≤ 1, stopword presets
 *   `en`/`none`) as Weaviate does, with its defaults (k1 1.2, b 0.75, preset `en`).
 * - gRPC, served with the service definitions weaviate-client ships (the exact wire format):
 *   weaviate.v1.Weaviate Search (fetch, sort, nearVector, bm25 on one property with the OR/AND
 *   operators and `score` metadata, filters, `after` cursor),
 *   BatchObjects (per-object errors), BatchDelete, Aggregate (objectsCount), TenantsGet;
 *   grpc.health.v1.Health Check.
 * - Behaviour as with AUTOSCHEMA_ENABLED=false and no vectorizer modules: unknown collections
 *   and properties fail, a multi-tenant collection needs an existing active tenant on every data
 *   request, a single-tenant collection refuses one, vector dimensions are fixed per shard,
 *   QUERY_MAXIMUM_RESULTS = 10,000, gRPC messages up to 104,858,000 bytes.
 * - Search is exact (brute force) where Weaviate's HNSW is approximate.
 * - BM25 is a new class's BlockMax WAND scoring, statistics per shard (bm25-ranking.ts): the
 *   `word` tokenizer (text-tokenizer.ts), N = the shard's objects, lengths in tokens averaged
 *   over the documents holding the property, Lucene's IDF, tf = f / (f + k1 · norm) without
 *   Lucene's (k1 + 1), query stopwords dropped by the class's preset. Weaviate answers a failed
 *   search with a plain error (gRPC UNKNOWN): a property without a searchable index, a sort
 *   with a search. Exact where Weaviate approximates N and counts stale postings until
 *   compaction.
 * - gRPC replies carry what the server's reply code writes (weaviate/weaviate
 *   adapters/handlers/grpc/v1, checked at adcffc54, 2026-08): search results with `id` and
 *   16-byte `id_as_bytes`, named vectors in `vectors` (name, `VECTOR_TYPE_SINGLE_FP32`; `vector:
 *   true` asks for all names, parse_search_request.go), `null_value` for a requested property an
 *   object lacks and `generative_grouped_result: ''` (prepare_reply.go); batch deletes that count
 *   dry-run matches as successful and list them when verbose (batch_delete.go); tenant activity
 *   as HOT = 1 / COLD = 2 / FROZEN = 4 (tenants.go). emulator-replies.test.ts holds every reply
 *   to the client's own definitions; emulator-client-paths.test.ts follows the client's
 *   integration tests (weaviate/typescript-client test/collections/*, at 096808dd, 2026-08).
 *
 * Not implemented: GraphQL, REST object endpoints, references, nested objects, hybrid search,
 * BM25 over several properties or with boosts, autocut, groupBy, vectorizer modules,
 * auto-schema, auto tenant creation, replication, RBAC, backups.
 */
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createGrpcServer, ServerError, Status, type Server as GrpcServer } from 'nice-grpc';
import { EmulatorState } from './emulator-state.js';
import { healthService, weaviateService, type ReplyObserver } from './grpc-services.js';
import { protoDefinitions } from './proto-definitions.js';
import { EMULATED_WEAVIATE_VERSION, handleRest } from './rest-routes.js';

export { EMULATED_WEAVIATE_VERSION };

export interface InjectedFault {
  /** Which side fails: REST answers `status`, gRPC answers `code`. */
  transport: 'rest' | 'grpc';
  /** How many calls in a row fail. */
  times: number;
  /** @default 503 */
  status?: number;
  /** @default Status.UNAVAILABLE */
  code?: Status;
  /**
   * Instead of failing, hold each gRPC call this long and then answer it: a call still in flight
   * when a test stops the server.
   */
  holdMs?: number;
}

export interface WeaviateEmulator {
  httpHost: string;
  httpPort: number;
  grpcHost: string;
  grpcPort: number;
  state: EmulatorState;
  /** Makes the next calls fail transiently, to test retries. */
  injectFault(fault: InjectedFault): void;
  /** Calls served so far, by transport. */
  calls: { rest: number; grpc: number };
  stop(): Promise<void>;
}

export interface WeaviateEmulatorOptions {
  /** The version GET /v1/meta reports. @default EMULATED_WEAVIATE_VERSION */
  version?: string;
  /** Sees every gRPC reply object before it is encoded, for tests that check it field by field. */
  onReply?: ReplyObserver;
}

export async function startWeaviateEmulator(options: WeaviateEmulatorOptions = {}): Promise<WeaviateEmulator> {
  const state = new EmulatorState();
  state.version = options.version ?? EMULATED_WEAVIATE_VERSION;
  const faults: InjectedFault[] = [];
  const calls = { rest: 0, grpc: 0 };
  const take = (transport: InjectedFault['transport']): InjectedFault | undefined => {
    const fault = faults.find((candidate) => candidate.transport === transport && candidate.times > 0);
    if (fault !== undefined) fault.times -= 1;
    return fault;
  };
  const http: Server = createHttpServer((request, response) => {
    calls.rest += 1;
    void handleRest(state, request, response, () => {
      const fault = take('rest');
      if (fault !== undefined) throw Object.assign(new Error('injected failure'), { status: fault.status ?? 503 });
    });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const definitions = await protoDefinitions();
  const grpc: GrpcServer = createGrpcServer({ 'grpc.max_receive_message_length': 104_858_000 });
  const service = weaviateService(state, async () => {
    calls.grpc += 1;
    const fault = take('grpc');
    if (fault?.holdMs !== undefined) await new Promise((resolve) => setTimeout(resolve, fault.holdMs));
    else if (fault !== undefined) throw new ServerError(fault.code ?? Status.UNAVAILABLE, 'injected failure');
  }, options.onReply);
  // The handlers take the decoded messages; their generated types stay inside the client package.
  grpc.add(definitions.weaviate, service as never);
  grpc.add(definitions.health, healthService());
  const grpcPort = await grpc.listen('127.0.0.1:0');
  const address = http.address();
  return {
    httpHost: '127.0.0.1',
    httpPort: typeof address === 'object' && address !== null ? address.port : 0,
    grpcHost: '127.0.0.1',
    grpcPort,
    state,
    calls,
    injectFault: (fault) => faults.push({ ...fault }),
    async stop() {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
      grpc.forceShutdown();
    },
  };
}
