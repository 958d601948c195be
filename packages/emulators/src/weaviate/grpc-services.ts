import { ServerError, Status } from 'nice-grpc';
import { RequestError, type EmulatorState } from './emulator-state.js';
import { writeObject, type BatchObjectMessage } from './grpc-batch.js';
import { QUERY_MAXIMUM_RESULTS, search, type SearchMessage } from './grpc-search.js';
import { FilterError, type ProtoFilter } from './proto-filters.js';

/**
 * The weaviate.v1.Weaviate service methods weaviate-client 3.x calls for data (Search,
 * BatchObjects, BatchDelete, Aggregate, TenantsGet), implemented over the emulator state.
 * BatchReferences and BatchStream answer UNIMPLEMENTED.
 */

const tenantStatusCodes = { ACTIVE: 1, INACTIVE: 2, OFFLOADED: 4 } as const;

export function grpcError(error: unknown): never {
  if (error instanceof ServerError) throw error;
  if (error instanceof FilterError) throw new ServerError(Status.INVALID_ARGUMENT, error.message);
  if (error instanceof RequestError) {
    const code = { invalid: Status.INVALID_ARGUMENT, 'not-found': Status.NOT_FOUND, unprocessable: Status.INVALID_ARGUMENT, precondition: Status.FAILED_PRECONDITION }[error.kind];
    throw new ServerError(code, error.message);
  }
  throw error;
}

interface DeleteMessage { collection: string; tenant?: string; filters?: ProtoFilter; dryRun: boolean; verbose: boolean }

function batchDelete(state: EmulatorState, request: DeleteMessage) {
  const { target, shard } = state.shardFor(request.collection, request.tenant || undefined);
  if (request.filters === undefined) throw new ServerError(Status.INVALID_ARGUMENT, 'batch delete: filters must be set');
  const matches = state.predicate(target, request.filters);
  const doomed = [...shard.objects.values()].filter((object) => matches(object.properties, object.uuid)).slice(0, QUERY_MAXIMUM_RESULTS);
  if (!request.dryRun) for (const object of doomed) shard.objects.delete(object.uuid);
  // batch_delete.go counts every match without an error as successful, dry run or not, and
  // lists them (16-byte uuid, successful, error '') only when verbose.
  const objects = request.verbose ? doomed.map((object) => ({ uuid: new Uint8Array(Buffer.from(object.uuid.replaceAll('-', ''), 'hex')), successful: true, error: '' })) : [];
  return { took: 0, failed: 0, matches: doomed.length, successful: doomed.length, objects };
}

interface AggregateMessage { collection: string; tenant: string; objectsCount: boolean; aggregations: unknown[]; filters?: ProtoFilter; groupBy?: unknown; nearVector?: unknown }

function aggregate(state: EmulatorState, request: AggregateMessage) {
  if (request.aggregations.length > 0 || request.groupBy !== undefined || request.nearVector !== undefined) {
    throw new ServerError(Status.UNIMPLEMENTED, 'the emulator aggregates only objectsCount');
  }
  const { target, shard } = state.shardFor(request.collection, request.tenant || undefined);
  const matches = state.predicate(target, request.filters);
  let count = 0;
  for (const object of shard.objects.values()) if (matches(object.properties, object.uuid)) count += 1;
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

/** Sees each reply a method returns, before nice-grpc encodes it (and drops what it does not know). */
export type ReplyObserver = (method: string, reply: unknown) => void;

/** The service implementation; `beforeCall` lets tests inject transient failures and held calls. */
export function weaviateService(state: EmulatorState, beforeCall: () => void | Promise<void>, observe?: ReplyObserver) {
  const guarded = <Request, Reply>(method: string, handler: (request: Request) => Reply) => async (request: Request): Promise<Reply> => {
    await beforeCall();
    let reply: Reply;
    try {
      reply = handler(request);
    } catch (error) {
      return grpcError(error);
    }
    observe?.(method, reply);
    return reply;
  };
  return {
    search: guarded('search', (request: SearchMessage) => search(state, request)),
    batchObjects: guarded('batchObjects', (request: { objects: BatchObjectMessage[] }) => {
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
    batchDelete: guarded('batchDelete', (request: DeleteMessage) => batchDelete(state, request)),
    aggregate: guarded('aggregate', (request: AggregateMessage) => aggregate(state, request)),
    tenantsGet: guarded('tenantsGet', (request: { collection: string; names?: { values: string[] } }) => tenantsGet(state, request)),
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
