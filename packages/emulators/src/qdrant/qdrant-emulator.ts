/**
 * A strict emulator of the Qdrant REST API, version 1.19 (the OpenAPI types of
 * `@qdrant/js-client-rest` 1.19.0), on 127.0.0.1 and a random port, backed by exact brute-force
 * search. It exists because no Qdrant server runs on CI machines; the live suite runs the same
 * conformance tests against a real server when QDRANT_URL is set.
 *
 * Implements: GET / (version), GET /collections, GET|PUT|PATCH|DELETE /collections/{name},
 * PUT /collections/{name}/index, GET|PUT /collections/{name}/shards and POST …/shards/delete,
 * PUT …/points (upsert, PointsList), POST …/points (retrieve), …/points/delete,
 * …/points/query (nearest by a dense or a sparse vector, `using`, `params.idf`), …/points/count,
 * …/points/scroll (by id, or `order_by` an indexed number), …/facet.
 * Cosine/Dot/Euclid/Manhattan on one unnamed dense vector, float32 storage, Cosine vectors
 * normalised on write; named sparse vectors beside it (`sparse_vectors`, modifier `none` or
 * `idf`), written in a point's map of named vectors (`{ "": dense, name: { indices, values } }`)
 * and returned by `with_vector` (`true` or a list of names) as Qdrant returns them;
 * custom sharding with shard keys; collection metadata merged on PATCH;
 * payload selectors (`with_payload` as list, include or exclude); updates without `wait=true`
 * acknowledged at once and applied ~50 ms later, as Qdrant applies them asynchronously.
 * Search is exact: a real server may answer large collections from HNSW, approximately.
 *
 * Follows Qdrant 1.19.0 (github.com/qdrant/qdrant at tag v1.19.0, commit 74f3e85): its OpenAPI
 * document `docs/redoc/master/openapi.json` (excerpt in `qdrant-openapi-excerpt.json`), its API
 * tests `tests/openapi/*.py` and the `validator` attributes of `lib/segment/src/types.rs`,
 * `lib/api/src/rest/schema.rs` and `lib/collection/src/operations/`. Rules and sources:
 * - 400 `Format error in JSON body` for a body that does not deserialize (wrong type, missing
 *   field, bad point id, malformed JSON); 422 `Validation error in JSON body: [path: message]`
 *   for one that does but breaks a value rule (src/actix/mod.rs `validation_error_handler`);
 *   the rules themselves are listed in `request-schemas.ts`.
 * - Unknown keys are ignored, as serde does, except in `Filter` and the `{ include }` /
 *   `{ exclude }` payload selectors, which are `deny_unknown_fields` (400). `vectors` is an alias
 *   of a point's `vector`. A key of Qdrant's schema that the emulator does not implement is
 *   answered 501 rather than ignored. Stricter than Qdrant in one way: the adapter's own tests
 *   (packages/qdrant/src/request-conformance.test.ts) hold every request it sends to the official
 *   schema with no extra keys at all.
 * - 404 for a missing collection, 409 for an existing one, 400 for a write to a custom-sharded
 *   collection without a shard key or with an unknown one (shard keys keep their type: `100` is
 *   not `"100"`, test_shard_key.py), 400 for a vector of the wrong size, 413 for a body over
 *   32 MiB, 400 for a facet on an unindexed key.
 * - `payload_schema` in collection info: `params` only for an index made with parameters,
 *   `points` counting points with the field (test_payload_indexing.py); dotted payload selector
 *   paths (test_payload_selector.py, see `payload-selection.ts`).
 * - Sparse vectors (see `sparse-vectors.ts` and `sparse-search.ts` for every rule and its source):
 *   400 `Wrong input: Not existing vector name error: <name>` for a name the collection lacks,
 *   400 `… Conversion between sparse and regular vectors failed` for a value of the wrong kind,
 *   422 for values not as many as indices or repeated indices (path `points[0].vector.?.values`),
 *   400 for a sparse name that is empty or not a valid vector name, 400 for `params.idf` on a
 *   vector without the `idf` modifier (tests/openapi/test_sparse_idf_corpus.py).
 * - IDF, as Qdrant 1.19 computes it: `ln((N − df + 0.5) / (df + 0.5) + 1)` in float32
 *   (lib/segment/src/data_types/query_context.rs `fancy_idf`), multiplied into the query's
 *   values; N and df are counted per local shard over its segments (lib/collection/src/
 *   collection_manager/segments_searcher.rs `prepare_query_context`, run per shard by
 *   lib/collection/src/shards/local_shard/search.rs; nothing merges them across shards or
 *   collections). Globally N counts the shard's points holding a non-empty sparse vector of that
 *   name; with `params.idf: { corpus }` (new in 1.19, lib/segment/src/types.rs `IdfParams`) only
 *   the live points matching the corpus filter that hold the vector
 *   (lib/segment/src/index/sparse_index/sparse_vector_index/read_view/idf.rs).
 *   The emulator has one always-vacuumed segment per shard; a real server's global statistics
 *   also count deleted or moved points until their segment is optimized (segment_ops.rs
 *   `delete_point_internal` leaves vectors in place), corpus statistics do not.
 *
 * Not implemented (501 when the key is one of Qdrant's): named dense vectors, collections or
 * points without the dense vector, multi-dense vectors, inference objects, a point id as the
 * query, sparse index `memory`/`datatype`, sparse vector updates (PATCH `sparse_vectors`,
 * PUT …/vectors/{name}), PointsBatch, prefetch, fusion and recommend queries, a query without `query`, `order_by.start_from`,
 * nested/geo/text/values_count conditions (geo and values_count answer 501, the others 400),
 * quantization, payload and vector update endpoints, snapshots, aliases, cluster operations,
 * strict mode, authentication.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { z } from 'zod';
import { payloadView, QdrantHttpError, readShards, selectPoints, preparePoints, writeShard, type EmulatedCollection } from './emulator-store.js';
import { collectionInfo, createCollection, createIndex, createShardKey, dropShardKey, listShardKeys, updateCollection } from './collection-admin.js';
import { count, facet, query, scroll } from './point-reads.js';
import { canonicalId } from './qdrant-filter.js';
import { parse } from './request-parsing.js';
import * as schemas from './request-schemas.js';
import { checkVectorSelection, vectorView } from './sparse-vectors.js';

export const EMULATED_QDRANT_VERSION = '1.19.0';
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** A failure to answer instead of the next matching request: a status, or a dropped connection. */
export type Fault = { status: 429 | 500 | 502 | 503 | 504; retryAfter?: string } | { reset: true } | { delayMs: number };

/** How long an update sent without `wait=true` stays invisible, as in Qdrant's asynchronous apply. */
const ASYNC_APPLY_MS = 50;

export interface LoggedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  body: unknown;
}

type Handler = (params: { name: string; body: unknown; query: URLSearchParams }) => unknown;

export class QdrantEmulator {
  readonly collections = new Map<string, EmulatedCollection>();
  readonly requests: LoggedRequest[] = [];
  private readonly faults: { fault: Fault; when: (request: LoggedRequest) => boolean }[] = [];
  private server: Server | undefined;
  private version = 0;
  url = '';

  /** Answers the next matching requests with these faults, one each, in order. */
  injectFaults(faults: Fault[], when: (request: LoggedRequest) => boolean = () => true): void {
    for (const fault of faults) this.faults.push({ fault, when });
  }

  async start(): Promise<string> {
    this.server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this.url;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (server === undefined) return;
    this.server = undefined;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      const time = (performance.now() - started) / 1000;
      response.writeHead(status, { 'content-type': 'application/json', ...headers });
      response.end(JSON.stringify(status < 300 ? { result: body, status: 'ok', time } : { status: { error: body }, time }));
    };
    try {
      const url = new URL(request.url ?? '/', 'http://emulator');
      const text = await readBody(request);
      let body: unknown;
      try {
        body = text.length === 0 ? undefined : JSON.parse(text);
      } catch (error) {
        throw new QdrantHttpError(400, `Format error in JSON body: ${(error as Error).message}`);
      }
      const logged = { method: request.method ?? 'GET', path: url.pathname, query: url.searchParams, body };
      this.requests.push(logged);
      const faultIndex = this.faults.findIndex(({ when }) => when(logged));
      if (faultIndex !== -1) {
        const { fault } = this.faults.splice(faultIndex, 1)[0]!;
        if ('reset' in fault) {
          request.socket.destroy();
          return;
        }
        if ('delayMs' in fault) {
          await new Promise((resolve) => setTimeout(resolve, fault.delayMs));
          if (request.socket.destroyed) return;
        }
        if ('status' in fault) {
          send(fault.status, 'Emulated failure', fault.retryAfter === undefined ? {} : { 'retry-after': fault.retryAfter });
          return;
        }
      }
      if (logged.method === 'GET' && url.pathname === '/') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ title: 'qdrant - vector search engine', version: EMULATED_QDRANT_VERSION, commit: 'tenantvec-emulator' }));
        return;
      }
      const { handler, name } = this.route(logged.method, url.pathname);
      send(200, handler({ name, body, query: url.searchParams }));
    } catch (error) {
      // An unread body (413) leaves the connection unusable: tell the client not to reuse it.
      if (error instanceof QdrantHttpError) send(error.status, error.message, error.status === 413 ? { connection: 'close' } : {});
      else send(500, `Service internal error: ${(error as Error).message}`);
    }
  }

  private route(method: string, path: string): { handler: Handler; name: string } {
    const match = /^\/collections(?:\/([^/]+)(\/.*)?)?$/.exec(path);
    if (match === null) throw new QdrantHttpError(404, `Not found: route ${method} ${path}`);
    const name = decodeURIComponent(match[1] ?? '');
    const rest = match[2] ?? '';
    const handlers: Record<string, Handler> = {
      'GET ': () => ({ collections: [...this.collections.keys()].map((collection) => ({ name: collection })) }),
      'GET /': () => collectionInfo(this.require(name)),
      'PUT /': ({ body }) => createCollection(this.collections, name, parse(schemas.createCollection, body)),
      'PATCH /': ({ body }) => updateCollection(this.require(name), parse(schemas.updateCollection, body)),
      'DELETE /': () => this.collections.delete(name),
      'GET /exists': () => ({ exists: this.collections.has(name) }),
      'PUT /index': ({ body }) => createIndex(this.require(name), parse(schemas.createFieldIndex, body), ++this.version),
      'GET /shards': () => listShardKeys(this.require(name)),
      'PUT /shards': ({ body }) => createShardKey(this.require(name), parse(schemas.createShardingKey, body)),
      'POST /shards/delete': ({ body }) => dropShardKey(this.require(name), parse(schemas.dropShardingKey, body)),
      'PUT /points': ({ body, query }) => {
        const collection = this.require(name);
        return this.update(query, preparePoints(collection, parse(schemas.pointsList, body), this.version + 1));
      },
      'POST /points': ({ body }) => this.retrieve(this.require(name), parse(schemas.pointRequest, body, { into: 'point_request' })),
      'POST /points/delete': ({ body, query }) => this.update(query, this.prepareDelete(this.require(name), parse(schemas.pointsSelector, body))),
      'POST /points/query': ({ body }) => query(this.require(name), parse(schemas.queryRequest, body, { into: 'internal' })),
      'POST /points/count': ({ body }) => count(this.require(name), parse(schemas.countRequest, body, { into: 'count_request' })),
      'POST /points/scroll': ({ body }) => scroll(this.require(name), parse(schemas.scrollRequest, body, { into: 'scroll_request' })),
      'POST /facet': ({ body }) => facet(this.require(name), parse(schemas.facetRequest, body, { into: 'facet_request' })),
    };
    const key = `${method} ${match[1] === undefined ? '' : rest === '' ? '/' : rest}`;
    const handler = handlers[key];
    if (handler === undefined) throw new QdrantHttpError(404, `Not found: route ${method} ${path}`);
    return { handler, name };
  }

  private require(name: string): EmulatedCollection {
    const collection = this.collections.get(name);
    if (collection === undefined) throw new QdrantHttpError(404, `Not found: Collection \`${name}\` doesn't exist!`);
    return collection;
  }

  /**
   * Applies a validated update. Without `wait=true` Qdrant answers `acknowledged` once the
   * update is in its WAL and applies it later, so a read right after may not see it: an adapter
   * that forgets `wait` fails read-your-writes tests here as it would on a real server.
   */
  private update(query: URLSearchParams, apply: () => void) {
    const version = ++this.version;
    if (query.get('wait') === 'true') {
      apply();
      return { operation_id: version, status: 'completed' };
    }
    setTimeout(apply, ASYNC_APPLY_MS);
    return { operation_id: version, status: 'acknowledged' };
  }

  private retrieve(collection: EmulatedCollection, request: z.infer<typeof schemas.pointRequest>) {
    const shards = readShards(collection, request.shard_key);
    checkVectorSelection(collection, request.with_vector);
    return request.ids.flatMap((id) => {
      const point = shards.map((shard) => shard.get(canonicalId(id))).find((found) => found !== undefined);
      if (point === undefined) return [];
      return [{ id: point.id, payload: payloadView(point, request.with_payload ?? true), ...vectorView(point, request.with_vector) }];
    });
  }

  private prepareDelete(collection: EmulatedCollection, request: z.infer<typeof schemas.pointsSelector>): () => void {
    const shards = writeShard(collection, request.shard_key);
    return () => {
      for (const shard of shards) {
        if ('points' in request) {
          for (const id of request.points) shard.delete(canonicalId(id));
        } else {
          for (const point of selectPoints({ ...collection, shards: new Map([['', shard]]) }, undefined, request.filter)) shard.delete(point.id);
        }
      }
    };
  }

}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      throw new QdrantHttpError(413, `Format error in JSON body: JSON payload (${size} bytes) is larger than allowed (limit: ${MAX_BODY_BYTES} bytes).`);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** Starts an emulator on 127.0.0.1 and a free port. */
export async function startQdrantEmulator(): Promise<QdrantEmulator> {
  const emulator = new QdrantEmulator();
  await emulator.start();
  return emulator;
}
