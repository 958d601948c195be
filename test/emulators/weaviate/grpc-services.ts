import { ServerError, Status } from 'nice-grpc';
import { RequestError, type EmulatedClass, type EmulatorState, type Shard, type StoredObject } from './emulator-state.js';
import { FilterError, type ProtoFilter } from './proto-filters.js';

/**
 * The weaviate.v1.Weaviate service methods weaviate-client 3.x calls for data (Search,
 * BatchObjects, BatchDelete, Aggregate, TenantsGet), implemented over the emulator state.
 * BatchReferences and BatchStream answer UNIMPLEMENTED.
 */

/** Weaviate's default QUERY_MAXIMUM_RESULTS: the most objects one search or batch delete reaches. */
export const QUERY_MAXIMUM_RESULTS = 10_000;
const QUERY_DEFAULT_LIMIT = 10;
const tenantStatusCodes = { ACTIVE: 1, INACTIVE: 2, OFFLOADED: 4 } as const;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function grpcError(error: unknown): never {
  if (error instanceof ServerError) throw error;
  if (error instanceof FilterError) throw new ServerError(Status.INVALID_ARGUMENT, error.message);
  if (error instanceof RequestError) {
    const code = { invalid: Status.INVALID_ARGUMENT, 'not-found': Status.NOT_FOUND, unprocessable: Status.INVALID_ARGUMENT, precondition: Status.FAILED_PRECONDITION }[error.kind];
    throw new ServerError(code, error.message);
  }
  throw error;
}

function float32(bytes: Uint8Array | undefined): Float32Array | undefined {
  if (bytes === undefined || bytes.length === 0) return undefined;
  if (bytes.length % 4 !== 0) throw new ServerError(Status.INVALID_ARGUMENT, 'vector bytes are not a whole number of float32 values');
  return new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
}

function bytesOf(vector: Float32Array): Uint8Array {
  return new Uint8Array(vector.buffer.slice(0));
}

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

type PropertyValidator = (value: unknown) => boolean;
const validators: Record<string, PropertyValidator> = {
  text: (value) => typeof value === 'string',
  number: (value) => typeof value === 'number',
  int: (value) => typeof value === 'number' && Number.isInteger(value),
  boolean: (value) => typeof value === 'boolean',
  'text[]': (value) => Array.isArray(value) && value.every((item) => typeof item === 'string'),
  'number[]': (value) => Array.isArray(value) && value.every((item) => typeof item === 'number'),
  'boolean[]': (value) => Array.isArray(value) && value.every((item) => typeof item === 'boolean'),
};

interface BatchObjectMessage {
  uuid: string;
  vector: number[];
  vectorBytes: Uint8Array;
  vectors: { name: string; vectorBytes: Uint8Array }[];
  collection: string;
  tenant: string;
  properties?: {
    nonRefProperties?: Record<string, unknown>;
    textArrayProperties: { propName: string; values: string[] }[];
    numberArrayProperties: { propName: string; values: number[]; valuesBytes: Uint8Array }[];
    intArrayProperties: { propName: string; values: number[] }[];
    booleanArrayProperties: { propName: string; values: boolean[] }[];
    objectProperties: unknown[];
    objectArrayProperties: unknown[];
    singleTargetRefProps: unknown[];
    multiTargetRefProps: unknown[];
    emptyListProps: string[];
  };
}

function objectProperties(message: BatchObjectMessage, target: EmulatedClass): Record<string, unknown> {
  const given = message.properties;
  const properties: Record<string, unknown> = { ...(given?.nonRefProperties ?? {}) };
  for (const entry of given?.textArrayProperties ?? []) properties[entry.propName] = [...entry.values];
  for (const entry of given?.booleanArrayProperties ?? []) properties[entry.propName] = [...entry.values];
  for (const entry of given?.intArrayProperties ?? []) properties[entry.propName] = [...entry.values];
  for (const entry of given?.numberArrayProperties ?? []) {
    properties[entry.propName] = entry.valuesBytes.length > 0 ? [...new Float64Array(entry.valuesBytes.slice().buffer)] : [...entry.values];
  }
  for (const name of given?.emptyListProps ?? []) properties[name] = [];
  if ((given?.objectProperties.length ?? 0) + (given?.objectArrayProperties.length ?? 0) + (given?.singleTargetRefProps.length ?? 0) + (given?.multiTargetRefProps.length ?? 0) > 0) {
    throw new Error('object and reference properties are not supported by this emulator');
  }
  const className = target.schema.class;
  for (const [name, value] of Object.entries(properties)) {
    const property = target.properties.get(name);
    if (property === undefined) {
      throw new Error(`no such prop with name '${name}' found in class '${className}' in the schema. Check your schema files for which properties in this class are available`);
    }
    const dataType = property.dataType[0]!;
    if (value === null) continue;
    if (!(validators[dataType]?.(value) ?? false)) {
      throw new Error(`invalid ${dataType} property '${name}' on class '${className}': wrong value type ${Array.isArray(value) ? 'array' : typeof value}`);
    }
  }
  return properties;
}

function writeObject(state: EmulatorState, message: BatchObjectMessage): void {
  const { target, shard } = state.shardFor(message.collection, message.tenant || undefined);
  if (!uuidPattern.test(message.uuid)) throw new Error(`invalid UUID length or format: '${message.uuid}'`);
  const properties = objectProperties(message, target);
  const vectorNames = Object.keys(target.schema.vectorConfig);
  for (const named of message.vectors) {
    if (!vectorNames.includes(named.name)) throw new Error(`collection ${target.schema.class} does not have configuration for vector ${named.name}`);
  }
  const vector = float32(message.vectorBytes) ?? (message.vector.length > 0 ? Float32Array.from(message.vector) : undefined) ?? float32(message.vectors[0]?.vectorBytes);
  if (vector !== undefined) {
    const dimension = (shard as Shard & { dimension?: number }).dimension;
    if (dimension !== undefined && dimension !== vector.length) {
      throw new Error(`new node has a vector with length ${vector.length}. Existing nodes have vectors with length ${dimension}`);
    }
    (shard as Shard & { dimension?: number }).dimension = vector.length;
  }
  const uuid = message.uuid.toLowerCase();
  shard.objects.set(uuid, { uuid, properties, ...(vector === undefined ? {} : { vector }) });
}

function distanceMetric(target: EmulatedClass): string {
  const first = Object.values(target.schema.vectorConfig)[0];
  return String(first?.vectorIndexConfig.distance ?? 'cosine');
}

interface SearchMessage {
  collection: string;
  tenant: string;
  limit: number;
  offset: number;
  after: string;
  filters?: ProtoFilter;
  sortBy: { ascending: boolean; path: string[] }[];
  nearVector?: { vector: number[]; vectorBytes: Uint8Array; vectors: { vectorBytes: Uint8Array }[] };
  properties?: { nonRefProperties: string[]; returnAllNonrefProperties: boolean; refProperties: unknown[]; objectProperties: unknown[] };
  metadata?: { uuid: boolean; vector: boolean; distance: boolean; vectors: string[] };
  groupBy?: unknown;
  hybridSearch?: unknown;
  bm25Search?: unknown;
  nearObject?: unknown;
  nearText?: unknown;
}

function compareValues(left: unknown, right: unknown): number {
  if (left === right) return 0;
  if (left === undefined || left === null) return -1;
  if (right === undefined || right === null) return 1;
  return (left as string | number) < (right as string | number) ? -1 : 1;
}

function search(state: EmulatorState, request: SearchMessage) {
  if (request.groupBy !== undefined || request.hybridSearch !== undefined || request.bm25Search !== undefined || request.nearObject !== undefined || request.nearText !== undefined) {
    throw new ServerError(Status.UNIMPLEMENTED, 'the emulator serves only fetch, sort and nearVector searches');
  }
  const { target, shard } = state.shardFor(request.collection, request.tenant || undefined);
  if (request.after !== '' && (request.filters !== undefined || request.sortBy.length > 0 || request.nearVector !== undefined)) {
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
  let hits: { object: StoredObject; distance?: number }[] = [...shard.objects.values()].filter((object) => matches(object.properties)).map((object) => ({ object }));
  if (request.nearVector !== undefined) {
    const near = request.nearVector;
    const query = float32(near.vectorBytes) ?? (near.vector.length > 0 ? Float32Array.from(near.vector) : undefined) ?? float32(near.vectors[0]?.vectorBytes);
    if (query === undefined) throw new ServerError(Status.INVALID_ARGUMENT, 'nearVector: no vector given');
    const dimension = (shard as Shard & { dimension?: number }).dimension;
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
  return {
    took: 0,
    groupByResults: [],
    results: page.map(({ object, distance }) => {
      const fields: Record<string, unknown> = {};
      for (const name of names) {
        const value = object.properties[name];
        if (value !== undefined && value !== null) fields[name] = protoValue(target.properties.get(name)!.dataType[0]!, value);
      }
      const withVector = (metadata?.vector === true || (metadata?.vectors.length ?? 0) > 0) && object.vector !== undefined;
      return {
        properties: { nonRefProps: { fields }, refProps: [], targetCollection: target.schema.class, refPropsRequested: false },
        metadata: {
          id: metadata?.uuid === true ? object.uuid : '',
          ...(distance !== undefined && metadata?.distance === true ? { distance, distancePresent: true } : {}),
          ...(withVector ? { vectorBytes: bytesOf(object.vector!) } : {}),
        },
      };
    }),
  };
}

interface DeleteMessage { collection: string; tenant?: string; filters?: ProtoFilter; dryRun: boolean; verbose: boolean }

function batchDelete(state: EmulatorState, request: DeleteMessage) {
  const { target, shard } = state.shardFor(request.collection, request.tenant || undefined);
  if (request.filters === undefined) throw new ServerError(Status.INVALID_ARGUMENT, 'batch delete: filters must be set');
  const matches = state.predicate(target, request.filters);
  const doomed = [...shard.objects.values()].filter((object) => matches(object.properties)).slice(0, QUERY_MAXIMUM_RESULTS);
  if (!request.dryRun) for (const object of doomed) shard.objects.delete(object.uuid);
  return { took: 0, failed: 0, matches: doomed.length, successful: request.dryRun ? 0 : doomed.length, objects: [] };
}

interface AggregateMessage { collection: string; tenant: string; objectsCount: boolean; aggregations: unknown[]; filters?: ProtoFilter; groupBy?: unknown; nearVector?: unknown }

function aggregate(state: EmulatorState, request: AggregateMessage) {
  if (request.aggregations.length > 0 || request.groupBy !== undefined || request.nearVector !== undefined) {
    throw new ServerError(Status.UNIMPLEMENTED, 'the emulator aggregates only objectsCount');
  }
  const { target, shard } = state.shardFor(request.collection, request.tenant || undefined);
  const matches = state.predicate(target, request.filters);
  let count = 0;
  for (const object of shard.objects.values()) if (matches(object.properties)) count += 1;
  return { took: 0, singleResult: { objectsCount: count, aggregations: { aggregations: [] } } };
}

function tenantsGet(state: EmulatorState, request: { collection: string; names?: { values: string[] } }) {
  const target = state.requireMultiTenant(request.collection);
  const wanted = request.names?.values;
  const tenants = [...target.shards]
    .filter(([name]) => wanted === undefined || wanted.includes(name))
    .map(([name, shard]) => ({ name, activityStatus: tenantStatusCodes[shard.status] }));
  return { took: 0, tenants };
}

/** The service implementation; `beforeCall` lets tests inject transient failures. */
export function weaviateService(state: EmulatorState, beforeCall: () => void) {
  const guarded = <Request, Reply>(handler: (request: Request) => Reply) => async (request: Request): Promise<Reply> => {
    beforeCall();
    try {
      return handler(request);
    } catch (error) {
      return grpcError(error);
    }
  };
  return {
    search: guarded((request: SearchMessage) => search(state, request)),
    batchObjects: guarded((request: { objects: BatchObjectMessage[] }) => {
      const errors: { index: number; error: string }[] = [];
      request.objects.forEach((object, index) => {
        try {
          writeObject(state, object);
        } catch (error) {
          errors.push({ index, error: (error as Error).message });
        }
      });
      return { took: 0, errors };
    }),
    batchDelete: guarded((request: DeleteMessage) => batchDelete(state, request)),
    aggregate: guarded((request: AggregateMessage) => aggregate(state, request)),
    tenantsGet: guarded((request: { collection: string; names?: { values: string[] } }) => tenantsGet(state, request)),
    batchReferences: async () => { throw new ServerError(Status.UNIMPLEMENTED, 'references are not emulated'); },
    // eslint-disable-next-line require-yield
    batchStream: async function* () { throw new ServerError(Status.UNIMPLEMENTED, 'batch streams are not emulated'); },
  };
}

export function healthService() {
  return {
    check: async () => ({ status: 1 }),
    // eslint-disable-next-line require-yield
    watch: async function* () { throw new ServerError(Status.UNIMPLEMENTED, 'watch is not emulated'); },
  };
}
