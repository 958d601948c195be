import { ServerError, Status } from 'nice-grpc';
import { rankBm25, type Bm25Message } from './bm25-ranking.js';
import type { EmulatedClass, EmulatorState, StoredObject } from './emulator-state.js';
import { bytesOf, float32 } from './grpc-vectors.js';
import type { ProtoFilter } from './proto-filters.js';

/**
 * Search: fetch (optionally sorted, or paged by the `after` cursor), exact nearVector by the
 * collection's distance, and bm25 (bm25-ranking.ts) with its `score`; properties and metadata
 * returned as the request asks. Cursor and filter together, offset + limit past
 * QUERY_MAXIMUM_RESULTS, and a sort with a search are refused as in Weaviate.
 */

/** Weaviate's default QUERY_MAXIMUM_RESULTS: the most objects one search or batch delete reaches. */
export const QUERY_MAXIMUM_RESULTS = 10_000;
/** weaviate.v1.Vectors.VectorType.VECTOR_TYPE_SINGLE_FP32 */
const VECTOR_TYPE_SINGLE_FP32 = 1;
const QUERY_DEFAULT_LIMIT = 10;

function distanceBetween(metric: string, query: Float32Array, stored: Float32Array): number {
  let dot = 0;
  let queryNorm = 0;
  let storedNorm = 0;
  let squared = 0;
  for (let index = 0; index < query.length; index += 1) {
    const a = query[index]!;
    const b = stored[index]!;
    dot += a * b;
    queryNorm += a * a;
    storedNorm += b * b;
    squared += (a - b) * (a - b);
  }
  if (metric === 'dot') return -dot;
  if (metric === 'l2-squared') return squared;
  if (metric === 'manhattan') return query.reduce((sum, a, index) => sum + Math.abs(a - stored[index]!), 0);
  return 1 - dot / (Math.sqrt(queryNorm) * Math.sqrt(storedNorm));
}

/** A stored value as weaviate.v1.Value, by the property's data type. */
function protoValue(dataType: string, value: unknown): Record<string, unknown> {
  switch (dataType) {
    case 'text': return { textValue: value };
    case 'number': return { numberValue: value };
    case 'int': return { intValue: value };
    case 'boolean': return { boolValue: value };
    case 'text[]': return { listValue: { textValues: { values: value } } };
    case 'boolean[]': return { listValue: { boolValues: { values: value } } };
    case 'number[]': return { listValue: { numberValues: { values: new Uint8Array(new Float64Array(value as number[]).buffer) } } };
    default: throw new ServerError(Status.UNIMPLEMENTED, `the emulator does not return ${dataType} properties`);
  }
}

function distanceMetric(target: EmulatedClass): string {
  const first = Object.values(target.schema.vectorConfig)[0];
  return String(first?.vectorIndexConfig.distance ?? 'cosine');
}

export interface SearchMessage {
  collection: string;
  tenant: string;
  limit: number;
  offset: number;
  after: string;
  filters?: ProtoFilter;
  sortBy: { ascending: boolean; path: string[] }[];
  nearVector?: { vector: number[]; vectorBytes: Uint8Array; vectors: { vectorBytes: Uint8Array }[] };
  properties?: { nonRefProperties: string[]; returnAllNonrefProperties: boolean; refProperties: unknown[]; objectProperties: unknown[] };
  metadata?: { uuid: boolean; vector: boolean; distance: boolean; score: boolean; vectors: string[] };
  autocut: number;
  groupBy?: unknown;
  hybridSearch?: unknown;
  bm25Search?: Bm25Message;
  nearObject?: unknown;
  nearText?: unknown;
}

function compareValues(left: unknown, right: unknown): number {
  if (left === right) return 0;
  if (left === undefined || left === null) return -1;
  if (right === undefined || right === null) return 1;
  return (left as string | number) < (right as string | number) ? -1 : 1;
}

export function search(state: EmulatorState, request: SearchMessage) {
  if (request.groupBy !== undefined || request.hybridSearch !== undefined || request.nearObject !== undefined || request.nearText !== undefined || request.autocut > 0) {
    throw new ServerError(Status.UNIMPLEMENTED, 'the emulator serves only fetch, sort, nearVector and bm25 searches');
  }
  if (request.bm25Search !== undefined && request.nearVector !== undefined) {
    throw new ServerError(Status.UNIMPLEMENTED, 'the emulator serves one search at a time');
  }
  const searching = request.nearVector !== undefined || request.bm25Search !== undefined;
  // parse_search_request.go refuses this before it looks at the collection; a plain Go error is UNKNOWN.
  if (request.sortBy.length > 0 && searching) throw new ServerError(Status.UNKNOWN, 'sorting cannot be combined with search');
  const { target, shard } = state.shardFor(request.collection, request.tenant || undefined);
  if (request.after !== '' && (request.filters !== undefined || request.sortBy.length > 0 || searching)) {
    throw new ServerError(Status.INVALID_ARGUMENT, "cursor api: invalid 'after' parameter: other params cannot be set along with after and limit");
  }
  const limit = request.limit === 0 ? QUERY_DEFAULT_LIMIT : request.limit;
  if (request.offset + limit > QUERY_MAXIMUM_RESULTS) {
    throw new ServerError(Status.INVALID_ARGUMENT, `query maximum results exceeded: offset + limit may be at most ${QUERY_MAXIMUM_RESULTS}`);
  }
  for (const sort of request.sortBy) {
    if (sort.path.length !== 1 || (!target.properties.has(sort.path[0]!) && sort.path[0] !== '_id')) {
      throw new ServerError(Status.INVALID_ARGUMENT, `sort: no such prop with name '${sort.path.join('.')}' found in class '${target.schema.class}'`);
    }
  }
  const matches = state.predicate(target, request.filters);
  let hits: { object: StoredObject; distance?: number; score?: number }[] = request.bm25Search !== undefined
    ? rankBm25({ target, shard, request: request.bm25Search, passes: (object) => matches(object.properties, object.uuid) })
    : [...shard.objects.values()].filter((object) => matches(object.properties, object.uuid)).map((object) => ({ object }));
  if (request.nearVector !== undefined) {
    const near = request.nearVector;
    const query = float32(near.vectorBytes) ?? (near.vector.length > 0 ? Float32Array.from(near.vector) : undefined) ?? float32(near.vectors[0]?.vectorBytes);
    if (query === undefined) throw new ServerError(Status.INVALID_ARGUMENT, 'nearVector: no vector given');
    const dimension = shard.dimension;
    if (dimension !== undefined && dimension !== query.length) {
      throw new ServerError(Status.INVALID_ARGUMENT, `vector search: knn search: distance between entrypoint and query node: vector lengths don't match: ${dimension} vs ${query.length}`);
    }
    const metric = distanceMetric(target);
    hits = hits.filter((hit) => hit.object.vector !== undefined).map((hit) => ({ ...hit, distance: distanceBetween(metric, query, hit.object.vector!) }));
    hits.sort((left, right) => left.distance! - right.distance! || (left.object.uuid < right.object.uuid ? -1 : 1));
  } else if (request.sortBy.length > 0) {
    hits.sort((left, right) => {
      for (const sort of request.sortBy) {
        const key = sort.path[0]!;
        const order = key === '_id' ? compareValues(left.object.uuid, right.object.uuid) : compareValues(left.object.properties[key], right.object.properties[key]);
        if (order !== 0) return sort.ascending ? order : -order;
      }
      return left.object.uuid < right.object.uuid ? -1 : 1;
    });
  } else if (request.after !== '') {
    const after = request.after.toLowerCase();
    hits = hits.filter((hit) => hit.object.uuid > after).sort((left, right) => (left.object.uuid < right.object.uuid ? -1 : 1));
  }
  const page = hits.slice(request.offset, request.offset + limit);
  const wanted = request.properties;
  const names = wanted === undefined || wanted.returnAllNonrefProperties ? [...target.properties.keys()] : wanted.nonRefProperties;
  for (const name of names) {
    if (!target.properties.has(name)) throw new ServerError(Status.INVALID_ARGUMENT, `no such prop with name '${name}' found in class '${target.schema.class}' in the schema`);
  }
  const metadata = request.metadata;
  const vectorNames = Object.keys(target.schema.vectorConfig);
  // Weaviate's parse_search_request: `vector: true` on a collection with named vectors asks for all of them.
  const wantedVectors = metadata?.vector === true && vectorNames.length > 0 ? vectorNames : (metadata?.vectors ?? []);
  return {
    took: 0,
    // prepare_reply.go always sets this optional string, to '' when nothing was generated.
    generativeGroupedResult: '',
    groupByResults: [],
    results: page.map(({ object, distance, score }) => ({
      properties: resultProperties(target, object, names),
      metadata: {
        ...(metadata?.uuid === true ? { id: object.uuid, idAsBytes: uuidBytes(object.uuid) } : {}),
        ...(distance !== undefined && metadata?.distance === true ? { distance, distancePresent: true } : {}),
        // The searcher keeps scores as float32 (prepare_reply.go reads them as such).
        ...(score !== undefined && metadata?.score === true ? { score: Math.fround(score), scorePresent: true } : {}),
        ...resultVectors(object, vectorNames.length === 0 && metadata?.vector === true, wantedVectors),
      },
    })),
  };
}

/** The 16 bytes of a UUID, as `MetadataResult.id_as_bytes` carries it. */
function uuidBytes(uuid: string): Uint8Array {
  return new Uint8Array(Buffer.from(uuid.replaceAll('-', ''), 'hex'));
}

/**
 * Requested properties an object lacks come back as `null_value`, and `non_ref_props` is left
 * unset when no property was requested (prepare_reply.go, buildPropertiesResult).
 */
function resultProperties(target: EmulatedClass, object: StoredObject, names: string[]) {
  const fields: Record<string, unknown> = {};
  for (const name of names) {
    const value = object.properties[name];
    fields[name] = value === undefined || value === null ? { nullValue: 0 } : protoValue(target.properties.get(name)!.dataType[0]!, value);
  }
  return {
    ...(names.length === 0 ? {} : { nonRefProps: { fields } }),
    refProps: [],
    targetCollection: target.schema.class,
    refPropsRequested: false,
  };
}

/**
 * A collection without named vectors returns its vector in `vector_bytes` (and the deprecated
 * float list); named vectors come in `vectors`, one `VECTOR_TYPE_SINGLE_FP32` entry per name.
 */
function resultVectors(object: StoredObject, legacy: boolean, names: string[]) {
  if (object.vector === undefined) return {};
  if (legacy) return { vector: [...object.vector], vectorBytes: bytesOf(object.vector) };
  const named = names.filter((name) => name === object.vectorName);
  return named.length === 0 ? {} : { vectors: named.map((name) => ({ name, index: 0, vectorBytes: bytesOf(object.vector!), type: VECTOR_TYPE_SINGLE_FP32 })) };
}
