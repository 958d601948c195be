import type { z } from 'zod';
import type { IndexEngine, StoredVector } from './emulator-engine.js';
import { filterProblem, type StoredMetadata } from './emulator-filter.js';
import { dataError, grpc, type Reply } from './pinecone-emulator.js';
import { describeIssue, type RequestSchemas } from './request-schemas.js';
import { sparseValuesProblem, storedSparseValues } from './sparse-values.js';

/** The data plane of one index: the routes, the limits and the answers of Pinecone API 2026-04. */
const DEFAULT_NAMESPACE = '__default__';
const MAX_METADATA_BYTES = 40_960;
/**
 * Pinecone's operation limits: "Max top_k value 10,000" and "Max result size 4MB", whatever
 * includeMetadata and includeValues say (they only make the result bigger). The byte count is
 * the JSON reply; taking "4MB" as 4 MiB (gRPC's default message cap) is an assumption.
 */
export const MAX_TOP_K = 10_000;
export const MAX_QUERY_RESULT_BYTES = 4 * 1024 * 1024;

const invalid = (message: string) => dataError(400, grpc.invalidArgument, message);
const ok = (body: unknown): Reply => ({ status: 200, body });
const usage = { readUnits: 1 };

function parse<T>(schema: z.ZodType<T>, body: unknown): { value: T } | { reply: Reply } {
  const parsed = schema.safeParse(body ?? {});
  return parsed.success ? { value: parsed.data } : { reply: invalid(`Invalid request body: ${describeIssue(parsed.error)}`) };
}

const namespaceOf = (name: string | undefined | null) => (name === undefined || name === null || name === '' ? DEFAULT_NAMESPACE : name);

function checkFilter(filter: unknown): Reply | undefined {
  if (filter === undefined) return undefined;
  const problem = filterProblem(filter);
  return problem === undefined ? undefined : invalid(`Invalid filter: ${problem}`);
}

function idProblem(id: string): string | undefined {
  if (id.length === 0) return 'Vector ID must not be empty';
  if (id.length > 512) return `Vector ID must be at most 512 characters, got ${id.length}`;
  // eslint-disable-next-line no-control-regex
  if (!/^[\x00-\x7f]*$/.test(id)) return 'Vector ID must be ASCII';
  return undefined;
}

function metadataProblem(metadata: Record<string, unknown>): string | undefined {
  for (const [key, value] of Object.entries(metadata)) {
    const scalar = typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));
    const strings = Array.isArray(value) && value.every((item) => typeof item === 'string');
    if (!scalar && !strings) return `Metadata value for field '${key}' must be a string, number, boolean or list of strings`;
  }
  const bytes = Buffer.byteLength(JSON.stringify(metadata), 'utf8');
  if (bytes > MAX_METADATA_BYTES) return `Metadata size is ${bytes} bytes, which exceeds the limit of ${MAX_METADATA_BYTES} bytes per vector`;
  return undefined;
}

function show(vector: StoredVector, values: boolean, metadata: boolean) {
  return {
    id: vector.id,
    values: values ? vector.values : [],
    ...(values && vector.sparseValues !== undefined ? { sparseValues: vector.sparseValues } : {}),
    ...(metadata && vector.metadata !== undefined ? { metadata: vector.metadata } : {}),
  };
}

const token = (id: string) => Buffer.from(id, 'utf8').toString('base64');
const untoken = (value: string) => Buffer.from(value, 'base64').toString('utf8');

function page<T extends { id: string }>(items: T[], limit: number, after: string | undefined) {
  const start = after === undefined ? items : items.filter((item) => item.id > untoken(after));
  const shown = start.slice(0, limit);
  const more = start.length > limit;
  return { shown, next: more ? token(shown.at(-1)!.id) : undefined };
}

function upsert(engine: IndexEngine, schemas: RequestSchemas, body: unknown): Reply {
  const parsed = parse(schemas.upsert, body);
  if ('reply' in parsed) return parsed.reply;
  const { vectors } = parsed.value;
  if (vectors.length === 0) return invalid('Must upsert at least 1 vector');
  if (vectors.length > 1000) return invalid(`Too many vectors: ${vectors.length}, the maximum per upsert is 1000`);
  const accepted: StoredVector[] = [];
  for (const vector of vectors) {
    const problem = idProblem(vector.id);
    if (problem !== undefined) return invalid(problem);
    if (vector.values === undefined) return invalid(`Vector ${vector.id} has no values; dense indexes need dense values`);
    if (vector.values.length !== engine.dimension) {
      return invalid(`Vector dimension ${vector.values.length} does not match the dimension of the index ${engine.dimension}`);
    }
    if (!vector.values.every(Number.isFinite)) return invalid('Vector values must be finite numbers');
    if (engine.metric === 'cosine' && vector.values.every((value) => value === 0)) {
      return invalid('Dense vectors must contain at least one non-zero value');
    }
    if (vector.metadata !== undefined) {
      const problem = metadataProblem(vector.metadata);
      if (problem !== undefined) return invalid(problem);
    }
    if (vector.sparseValues !== undefined) {
      const problem = sparseValuesProblem(vector.sparseValues);
      if (problem !== undefined) return invalid(`Vector ${vector.id}: ${problem}`);
    }
    accepted.push({
      id: vector.id,
      values: vector.values.map(Math.fround),
      // Any metric takes sparse values on upsert; only a dotproduct index can be queried with them.
      ...(vector.sparseValues === undefined ? {} : { sparseValues: storedSparseValues(vector.sparseValues) }),
      ...(vector.metadata === undefined ? {} : { metadata: structuredClone(vector.metadata) as StoredMetadata }),
    });
  }
  const namespace = engine.ensureNamespace(namespaceOf(parsed.value.namespace));
  engine.write(() => {
    for (const vector of accepted) namespace.set(vector.id, vector);
  });
  return ok({ upsertedCount: accepted.length });
}

function query(engine: IndexEngine, schemas: RequestSchemas, body: unknown): Reply {
  const parsed = parse(schemas.query, body);
  if ('reply' in parsed) return parsed.reply;
  const request = parsed.value;
  if (request.queries !== undefined) return invalid('The queries parameter is no longer supported');
  if (request.topK < 1 || request.topK > MAX_TOP_K) return invalid(`topK must be between 1 and ${MAX_TOP_K}`);
  if ((request.vector === undefined) === (request.id === undefined)) return invalid('Exactly one of vector or id must be provided');
  const filterReply = checkFilter(request.filter);
  if (filterReply !== undefined) return filterReply;
  const { sparseVector } = request;
  if (sparseVector !== undefined) {
    if (engine.metric !== 'dotproduct') return invalid('Index configuration does not support sparse values');
    const problem = sparseValuesProblem(sparseVector);
    if (problem !== undefined) return invalid(problem);
  }
  const namespace = namespaceOf(request.namespace);
  let vector = request.vector;
  if (request.id !== undefined) vector = engine.namespace(namespace)?.get(request.id)?.values;
  if (vector === undefined) return ok({ matches: [], namespace, usage });
  if (vector.length !== engine.dimension) return invalid(`Query vector dimension ${vector.length} does not match the dimension of the index ${engine.dimension}`);
  const matches = engine
    .query({ namespace, vector, ...(sparseVector === undefined ? {} : { sparseVector }), topK: request.topK, filter: request.filter })
    .map(({ stored, score }) => ({ ...show(stored, request.includeValues === true, request.includeMetadata === true), score }));
  const reply = { matches, namespace, usage };
  const bytes = Buffer.byteLength(JSON.stringify(reply), 'utf8');
  if (bytes > MAX_QUERY_RESULT_BYTES) {
    return invalid(`Query result size ${bytes} bytes exceeds the limit of ${MAX_QUERY_RESULT_BYTES} bytes; lower topK or set includeMetadata or includeValues to false`);
  }
  return ok(reply);
}

function fetchById(engine: IndexEngine, params: URLSearchParams): Reply {
  const ids = params.getAll('ids');
  if (ids.length === 0) return invalid('ids is required');
  if (ids.length > 1000) return invalid('At most 1000 ids can be fetched at once');
  const namespace = namespaceOf(params.get('namespace'));
  const stored = engine.namespace(namespace);
  const vectors: Record<string, unknown> = {};
  for (const id of ids) {
    const vector = stored?.get(id);
    if (vector !== undefined) vectors[id] = show(vector, true, true);
  }
  return ok({ vectors, namespace, usage });
}

function fetchByMetadata(engine: IndexEngine, schemas: RequestSchemas, body: unknown): Reply {
  const parsed = parse(schemas.fetchByMetadata, body);
  if ('reply' in parsed) return parsed.reply;
  const { filter, limit = 100, paginationToken } = parsed.value;
  if (limit < 1 || limit > 10_000) return invalid('limit must be between 1 and 10000');
  const filterReply = checkFilter(filter);
  if (filterReply !== undefined) return filterReply;
  const namespace = namespaceOf(parsed.value.namespace);
  const { shown, next } = page(engine.select(namespace, filter), limit, paginationToken);
  const vectors = Object.fromEntries(shown.map((vector) => [vector.id, show(vector, true, true)]));
  return ok({ vectors, namespace, ...(next === undefined ? {} : { pagination: { next } }), usage });
}

function remove(engine: IndexEngine, schemas: RequestSchemas, body: unknown): Reply {
  const parsed = parse(schemas.delete, body);
  if ('reply' in parsed) return parsed.reply;
  const { ids, deleteAll, filter } = parsed.value;
  const modes = [ids !== undefined, deleteAll === true, filter !== undefined].filter(Boolean).length;
  if (modes !== 1) return invalid('Exactly one of ids, deleteAll or filter must be given');
  if (ids !== undefined && (ids.length === 0 || ids.length > 1000)) return invalid('ids must hold 1 to 1000 ids');
  const filterReply = checkFilter(filter);
  if (filterReply !== undefined) return filterReply;
  const name = namespaceOf(parsed.value.namespace);
  const namespace = engine.namespaces.get(name);
  if (namespace === undefined) return dataError(404, grpc.notFound, 'Namespace not found');
  engine.write(() => {
    const doomed = ids ?? (deleteAll === true ? [...namespace.keys()] : engine.select(name, filter).map((vector) => vector.id));
    for (const id of doomed) namespace.delete(id);
  });
  return ok({});
}

function list(engine: IndexEngine, params: URLSearchParams): Reply {
  const limit = Number(params.get('limit') ?? 100);
  if (!Number.isInteger(limit) || limit < 1 || limit > 100) return invalid('limit must be between 1 and 100');
  const prefix = params.get('prefix') ?? '';
  const namespace = namespaceOf(params.get('namespace'));
  const ids = engine.select(namespace, undefined).filter((vector) => vector.id.startsWith(prefix));
  const { shown, next } = page(ids, limit, params.get('paginationToken') ?? undefined);
  return ok({ vectors: shown.map((vector) => ({ id: vector.id })), ...(next === undefined ? {} : { pagination: { next } }), namespace, usage });
}

function describeStats(engine: IndexEngine, schemas: RequestSchemas, body: unknown): Reply {
  const parsed = parse(schemas.describeIndexStats, body);
  if ('reply' in parsed) return parsed.reply;
  if (parsed.value.filter !== undefined) return invalid('Serverless and starter indexes do not support describing index stats with metadata filtering');
  engine.settle();
  const namespaces = Object.fromEntries([...engine.namespaces].map(([name, vectors]) => [name, { vectorCount: vectors.size }]));
  const total = [...engine.namespaces.values()].reduce((sum, vectors) => sum + vectors.size, 0);
  return ok({ namespaces, dimension: engine.dimension, indexFullness: 0, totalVectorCount: total, metric: engine.metric, vectorType: 'dense' });
}

interface NamespaceRequest {
  method: string;
  name: string | undefined;
  params: URLSearchParams;
  body: unknown;
}

function namespaces(engine: IndexEngine, schemas: RequestSchemas, { method, name, params, body }: NamespaceRequest): Reply {
  engine.settle();
  const describe = (key: string) => ({ name: key, record_count: engine.namespaces.get(key)?.size ?? 0 });
  if (name === undefined && method === 'GET') {
    const limit = Number(params.get('limit') ?? 100);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return invalid('limit must be between 1 and 100');
    const prefix = params.get('prefix') ?? '';
    const all = [...engine.namespaces.keys()].filter((key) => key.startsWith(prefix)).sort().map((key) => ({ id: key }));
    const { shown, next } = page(all, limit, params.get('paginationToken') ?? undefined);
    return ok({ namespaces: shown.map(({ id }) => describe(id)), ...(next === undefined ? {} : { pagination: { next } }), total_count: all.length });
  }
  if (name === undefined && method === 'POST') {
    const parsed = parse(schemas.createNamespace, body);
    if ('reply' in parsed) return parsed.reply;
    if (engine.namespaces.has(parsed.value.name)) return dataError(409, grpc.alreadyExists, 'Namespace already exists');
    engine.ensureNamespace(parsed.value.name);
    return { status: 201, body: describe(parsed.value.name) };
  }
  if (name === undefined) return dataError(405, grpc.invalidArgument, `${method} not allowed`);
  if (!engine.namespaces.has(name)) return dataError(404, grpc.notFound, 'Namespace not found');
  if (method === 'GET') return ok(describe(name));
  if (method === 'DELETE') {
    engine.namespaces.delete(name);
    return { status: 202, body: {} };
  }
  return dataError(405, grpc.invalidArgument, `${method} not allowed`);
}

export interface DataPlaneRequest {
  engine: IndexEngine;
  schemas: RequestSchemas;
  method: string;
  path: string;
  params: URLSearchParams;
  body: unknown;
}

export function handleDataPlane({ engine, schemas, method, path, params, body }: DataPlaneRequest): Reply {
  const route = `${method} ${path}`;
  switch (route) {
    case 'POST /vectors/upsert':
      return upsert(engine, schemas, body);
    case 'POST /query':
      return query(engine, schemas, body);
    case 'GET /vectors/fetch':
      return fetchById(engine, params);
    case 'POST /vectors/fetch_by_metadata':
      return fetchByMetadata(engine, schemas, body);
    case 'POST /vectors/delete':
      return remove(engine, schemas, body);
    case 'GET /vectors/list':
      return list(engine, params);
    case 'POST /describe_index_stats':
    case 'GET /describe_index_stats':
      return describeStats(engine, schemas, body);
    default: {
      const match = /^\/namespaces(?:\/([^/]+))?$/.exec(path);
      if (match !== null) {
        return namespaces(engine, schemas, { method, name: match[1] === undefined ? undefined : decodeURIComponent(match[1]), params, body });
      }
      return dataError(404, grpc.notFound, `No route for ${route}`);
    }
  }
}
