import { UnsupportedError, type VectorBackend } from '@tenantvec/core';

/** Methods that create storage: a read-only open skips them (reads of what is missing read as empty). */
const creating = new Set(['ensureCollection', 'ensurePartition']);
/** Methods that change data or storage: a read-only open refuses them before any I/O. */
const changing = new Set(['rawUpsert', 'rawDelete', 'dropCollection', 'dropPartition']);

/**
 * A backend that reads and never writes, for `inspect` on backends without a read-only mode of
 * their own (Qdrant, Pinecone, Weaviate, memory). Opening a store runs the strategy's `prepare`,
 * which ensures its shared collection: here that creates nothing, since the contract makes a read
 * of a missing collection return nothing rather than fail.
 */
export function readOnlyBackend(backend: VectorBackend): VectorBackend {
  return new Proxy(backend, {
    get(target, property, receiver) {
      if (typeof property === 'string' && creating.has(property)) return async () => {};
      if (typeof property === 'string' && changing.has(property)) {
        return async () => {
          throw new UnsupportedError(`${property} on a store opened read-only: nothing was changed.`);
        };
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      // Bound to the backend itself, so methods reading private fields still find them.
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}
