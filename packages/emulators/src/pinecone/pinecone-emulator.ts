/**
 * A strict emulator of Pinecone serverless, API version 2026-04 (the `X-Pinecone-Api-Version`
 * that `@pinecone-database/pinecone` 8.2.0 sends: its generated `api_version.ts`), on 127.0.0.1.
 *
 * Implements, with Pinecone's status codes and error bodies (control plane
 * `{ error: { code, message }, status }`, data plane `{ code, message, details }`):
 * - control plane: create, describe, list and delete serverless indexes, with the project's
 *   index limit (`403 QUOTA_EXCEEDED`), name and tag rules;
 * - data plane (one host per index, `127.0.0.1:PORT/data/<id>`): upsert, query, fetch, fetch by
 *   metadata, delete by ids / filter / all, list ids by prefix, describe index stats (no filter on
 *   serverless), create / describe / list / delete namespaces; the default namespace is
 *   `__default__`;
 * - the metadata filter language without `$not`; `Api-Key` on every request;
 * - sparse-dense records in dense indexes (`sparse-values.ts`, which says what is documented
 *   and what assumed): sparse values checked on upsert and query (paired uint32 indices and
 *   finite values, 1 to 1,000 of them), stored as float32 and returned by fetch and by queries
 *   with includeValues; a query's sparse vector needs a `dotproduct` index (400 "Index
 *   configuration does not support sparse values" otherwise) and adds its exact dot product to
 *   the dense score, so a dense query vector of zeros ranks by the sparse values alone. ASSUMED,
 *   not documented: the zero-vector refusal applies to upserted records only, not to query
 *   vectors (Pinecone's hybrid guide scales the dense query by alpha, 0 included; the refusals
 *   reported in issue trackers are all on upsert); the live keyword suite checks it on a real index;
 * - for tests: an optional freshness lag (writes become visible `freshnessLagMs` later), and
 *   injected failures (`inject`) such as 429 or 503, optionally with Retry-After.
 *
 * Verified against Pinecone's documentation (docs.pinecone.io):
 * - "Operation limits" (reference/api/database-limits/operation-limits): 1,000 records and 2 MB
 *   per upsert, 40 KB metadata per record, 1,000 ids per fetch or delete, and for queries
 *   "Max top_k value 10,000" and "Max result size 4MB" — the result size depends on the dimension
 *   and on includeValues / includeMetadata, which do not lower the topK cap; a query over 4 MB
 *   fails, and the page's advice is a lower top_k or excluding metadata or values.
 * - "API versioning" (reference/api/versioning): "If you don't [specify a version], requests
 *   default to the oldest supported stable version." A request without the header is served.
 * - Record ids of 1 to 512 ASCII characters, dense dimension up to 20,000, at least one non-zero
 *   value in a dense vector, no null metadata values ("Limits", "Understanding metadata").
 *
 * Assumptions (not established by any vendor source found):
 * - unknown body fields: refused with 400 by default (`unknownFields: 'refuse'`, stricter than
 *   the service may be, which hides nothing), or dropped (`'ignore'`). Adapter tests must not
 *   rely on either: packages/pinecone checks its request shapes against the client's models;
 * - the status and message of an over-4 MB query (400 INVALID_ARGUMENT here), and 4 MB read as
 *   4 MiB;
 * - a headerless request gets the 2026-04 behaviour: the emulator models one version, where the
 *   service would apply its oldest supported stable one; an explicit other version is refused.
 *
 * Not implemented: pod and BYOC indexes, sparse-only indexes (`vector_type: 'sparse'`, refused
 * at creation), integrated embedding and records search, imports, backups, collections,
 * `configure_index`, `update`. Index hosts carry a path, where Pinecone's are bare host names;
 * indexes are ready as soon as they are created. Queries are exact, where serverless ranks
 * approximately (for sparse-dense queries too).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { IndexEngine, type PineconeMetric } from './emulator-engine.js';
import { handleDataPlane } from './data-plane.js';
import { describeIssue, requestSchemas, type UnknownFields } from './request-schemas.js';

export const EMULATED_API_VERSION = '2026-04';
const MAX_BODY_BYTES = 2 * 1024 * 1024;

export interface PineconeEmulatorOptions {
  /** @default 'emulator-key' */
  apiKey?: string;
  /** Indexes the project may hold. @default 1000 */
  maxIndexes?: number;
  /** Milliseconds before a write becomes visible to reads. @default 0 */
  freshnessLagMs?: number;
  /** What a body key outside the API's models gets; the service's behaviour is unknown. @default 'refuse' */
  unknownFields?: UnknownFields;
}

export interface InjectedFault {
  status: number;
  /** How many matching requests fail. @default 1 */
  times?: number;
  /** Only requests whose path ends with this. */
  pathEndsWith?: string;
  retryAfterSeconds?: number;
}

interface HostedIndex {
  engine: IndexEngine;
  hostId: string;
  tags?: Record<string, string>;
  cloud: string;
  region: string;
}

export interface Reply {
  status: number;
  body?: unknown;
}

export const controlError = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message }, status } });
/** gRPC status codes, as Pinecone's data plane puts them in error bodies. */
export const grpc = { invalidArgument: 3, notFound: 5, alreadyExists: 6, resourceExhausted: 8, internal: 13, unavailable: 14, unauthenticated: 16 };
export const dataError = (status: number, code: number, message: string): Reply => ({ status, body: { code, message, details: [] } });

export class PineconeEmulator {
  readonly apiKey: string;
  maxIndexes: number;
  freshnessLagMs: number;
  readonly unknownFields: UnknownFields;
  /** Method and path of every request, for tests that check what the adapter sent. */
  readonly requests: { method: string; path: string }[] = [];
  private readonly indexes = new Map<string, HostedIndex>();
  private readonly faults: InjectedFault[] = [];
  private server: Server | undefined;
  private port = 0;

  constructor(options: PineconeEmulatorOptions = {}) {
    this.apiKey = options.apiKey ?? 'emulator-key';
    this.maxIndexes = options.maxIndexes ?? 1000;
    this.freshnessLagMs = options.freshnessLagMs ?? 0;
    this.unknownFields = options.unknownFields ?? 'refuse';
  }

  get controllerHostUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = createServer((request, response) => void this.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server === undefined) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The next matching requests fail with `status`. */
  inject(fault: InjectedFault): void {
    this.faults.push({ times: 1, ...fault });
  }

  /** Forgets every injected failure not yet served. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  private takeFault(path: string): InjectedFault | undefined {
    const fault = this.faults.find((candidate) => candidate.pathEndsWith === undefined || path.endsWith(candidate.pathEndsWith));
    if (fault === undefined) return undefined;
    fault.times = (fault.times ?? 1) - 1;
    if (fault.times <= 0) this.faults.splice(this.faults.indexOf(fault), 1);
    return fault;
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const method = request.method ?? 'GET';
    this.requests.push({ method, path: url.pathname });
    if (this.requests.length > 1000) this.requests.splice(0, 500);
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of request) {
      size += (chunk as Buffer).length;
      if (size <= MAX_BODY_BYTES + 1) chunks.push(chunk as Buffer);
    }
    const dataPlane = url.pathname.startsWith('/data/');
    let reply: Reply;
    try {
      reply = this.route(method, url, request, Buffer.concat(chunks), size, dataPlane);
    } catch (error) {
      reply = dataError(500, grpc.internal, `emulator failure: ${(error as Error).message}`);
    }
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    const retryAfter = (reply as Reply & { retryAfter?: number }).retryAfter;
    if (retryAfter !== undefined) headers['retry-after'] = String(retryAfter);
    response.writeHead(reply.status, headers);
    response.end(reply.body === undefined ? '' : JSON.stringify(reply.body));
  }

  private route(method: string, url: URL, request: IncomingMessage, raw: Buffer, size: number, dataPlane: boolean): Reply {
    const failure = (status: number, code: string, grpcCode: number, message: string) =>
      dataPlane ? dataError(status, grpcCode, message) : controlError(status, code, message);
    if (request.headers['api-key'] !== this.apiKey) return failure(401, 'UNAUTHENTICATED', grpc.unauthenticated, 'Invalid API Key');
    // Without the header Pinecone falls back to a default version instead of refusing.
    const version = request.headers['x-pinecone-api-version'];
    if (version !== undefined && version !== EMULATED_API_VERSION) {
      return failure(400, 'INVALID_ARGUMENT', grpc.invalidArgument, `Unsupported API version; this emulator speaks ${EMULATED_API_VERSION}`);
    }
    const fault = this.takeFault(url.pathname);
    if (fault !== undefined) {
      const code = fault.status === 429 ? grpc.resourceExhausted : fault.status >= 500 ? grpc.unavailable : grpc.invalidArgument;
      const reply = failure(fault.status, fault.status === 429 ? 'RESOURCE_EXHAUSTED' : 'UNAVAILABLE', code, 'Injected failure');
      return fault.retryAfterSeconds === undefined ? reply : { ...reply, retryAfter: fault.retryAfterSeconds } as Reply;
    }
    if (size > MAX_BODY_BYTES) {
      return failure(400, 'INVALID_ARGUMENT', grpc.invalidArgument, `Request size ${size} bytes exceeds the maximum supported size of ${MAX_BODY_BYTES} bytes`);
    }
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        return failure(400, 'INVALID_ARGUMENT', grpc.invalidArgument, 'Request body is not valid JSON');
      }
    }
    if (dataPlane) {
      const [, , hostId, ...rest] = url.pathname.split('/');
      const hosted = [...this.indexes.values()].find((index) => index.hostId === hostId);
      if (hosted === undefined) return dataError(404, grpc.notFound, 'Index not found');
      const schemas = requestSchemas(this.unknownFields);
      return handleDataPlane({ engine: hosted.engine, schemas, method, path: `/${rest.join('/')}`, params: url.searchParams, body });
    }
    return this.controlPlane(method, url.pathname, body);
  }

  private controlPlane(method: string, path: string, body: unknown): Reply {
    if (path === '/indexes' && method === 'GET') return { status: 200, body: { indexes: [...this.indexes.values()].map((index) => this.model(index)) } };
    if (path === '/indexes' && method === 'POST') return this.createIndex(body);
    const match = /^\/indexes\/([^/]+)$/.exec(path);
    if (match === null) return controlError(404, 'NOT_FOUND', `No route for ${method} ${path}`);
    const name = decodeURIComponent(match[1]!);
    const hosted = this.indexes.get(name);
    if (hosted === undefined) return controlError(404, 'NOT_FOUND', `Resource ${name} not found`);
    if (method === 'GET') return { status: 200, body: this.model(hosted) };
    if (method === 'DELETE') {
      this.indexes.delete(name);
      return { status: 202 };
    }
    return controlError(405, 'METHOD_NOT_ALLOWED', `${method} is not allowed on ${path}`);
  }

  private createIndex(body: unknown): Reply {
    const parsed = requestSchemas(this.unknownFields).createIndex.safeParse(body);
    if (!parsed.success) return controlError(422, 'INVALID_ARGUMENT', `Failed to deserialize the JSON body: ${describeIssue(parsed.error)}`);
    const request = parsed.data;
    if (!/^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/.test(request.name) || request.name.length > 45) {
      return controlError(400, 'INVALID_ARGUMENT', 'Name must consist of lower case alphanumeric characters or \'-\', start and end with an alphanumeric character, and be 1 to 45 characters long');
    }
    if (!('serverless' in request.spec)) return controlError(400, 'INVALID_ARGUMENT', 'This emulator creates serverless indexes only');
    if (request.vector_type === 'sparse') return controlError(400, 'INVALID_ARGUMENT', 'This emulator creates dense indexes only');
    if (request.dimension === undefined || request.dimension < 1 || request.dimension > 20_000) {
      return controlError(400, 'INVALID_ARGUMENT', 'Dimension must be between 1 and 20000 for dense indexes');
    }
    for (const [key, value] of Object.entries(request.tags ?? {})) {
      if (!/^[A-Za-z0-9_-]{1,80}$/.test(key) || !/^[A-Za-z0-9;@_\-.+ ]{0,120}$/.test(value)) {
        return controlError(400, 'INVALID_ARGUMENT', `Invalid tag ${key}: keys are 1-80 alphanumeric, '_' or '-'; values up to 120 alphanumeric, ';', '@', '_', '-', '.', '+' or ' '`);
      }
    }
    if (this.indexes.has(request.name)) return controlError(409, 'ALREADY_EXISTS', `Resource ${request.name} already exists`);
    if (this.indexes.size >= this.maxIndexes) {
      return controlError(403, 'QUOTA_EXCEEDED', `Request failed. You've reached the max serverless indexes allowed in project (${this.maxIndexes}).`);
    }
    const metric: PineconeMetric = request.metric ?? 'cosine';
    const hosted: HostedIndex = {
      engine: new IndexEngine(request.name, request.dimension, metric, () => this.freshnessLagMs),
      hostId: `${request.name}-${randomUUID().slice(0, 8)}`,
      cloud: request.spec.serverless.cloud,
      region: request.spec.serverless.region,
      ...(request.tags === undefined ? {} : { tags: request.tags }),
    };
    this.indexes.set(request.name, hosted);
    return { status: 201, body: this.model(hosted) };
  }

  private model(hosted: HostedIndex) {
    const { engine } = hosted;
    return {
      name: engine.name,
      dimension: engine.dimension,
      metric: engine.metric,
      host: `127.0.0.1:${this.port}/data/${hosted.hostId}`,
      deletion_protection: 'disabled',
      ...(hosted.tags === undefined ? {} : { tags: hosted.tags }),
      spec: { serverless: { cloud: hosted.cloud, region: hosted.region, read_capacity: { mode: 'OnDemand', status: { state: 'Ready' } } } },
      status: { ready: true, state: 'Ready' },
      vector_type: 'dense',
    };
  }
}

/** Starts an emulator on a random port of 127.0.0.1. */
export async function startPineconeEmulator(options: PineconeEmulatorOptions = {}): Promise<PineconeEmulator> {
  return new PineconeEmulator(options).start();
}
