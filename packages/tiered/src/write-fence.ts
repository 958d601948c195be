import { TenantMigratingError, type OperationEvent, type OperationStart, type StoreHooks } from '@tenantvec/core';

const writeOperations: ReadonlySet<string> = new Set(['upsert', 'ingest', 'delete']);

/**
 * Refuses a tenant's writes on one store while the tenant moves away from it, and waits for the
 * writes that were admitted before. Install `hooks` on the store the tenant moves out of, in the
 * process that writes to it, and pass the fence to `migrateTenants({ move: true, fence })`.
 */
export interface WriteFence {
  /** Give these to `createTenantVectorStore({ hooks: [fence.hooks] })` of the source store. */
  readonly hooks: StoreHooks;
  /**
   * Refuses the tenant's new writes (a `TenantMigratingError`), then resolves once every write
   * admitted before has finished, so nothing lands in the source after this resolves.
   */
  close(tenantId: string): Promise<void>;
  /** The move failed and the tenant stays: its writes are admitted again. */
  open(tenantId: string): void;
  /** The move finished: the tenant's writes to this store stay refused, for good, as not retryable. */
  markMoved(tenantId: string): void;
}

type FenceState = 'moving' | 'moved';

export function writeFence(): WriteFence {
  const fenced = new Map<string, FenceState>();
  // Keyed by tenant, then by operation id: the same id reaches `afterOperation` whatever the outcome.
  const admitted = new Map<string, Map<string, { finished: Promise<void>; finish: () => void }>>();

  const writesOf = (tenantId: string) => {
    const running = admitted.get(tenantId) ?? new Map<string, { finished: Promise<void>; finish: () => void }>();
    admitted.set(tenantId, running);
    return running;
  };

  const hooks: StoreHooks = {
    beforeOperation(start: OperationStart) {
      if (start.tenant === undefined || !writeOperations.has(start.operation)) return;
      const state = fenced.get(start.tenant);
      if (state === 'moving') {
        throw new TenantMigratingError(`Tenant ${start.tenant} is being moved to another store; writes resume when the move ends.`, { retryable: true });
      }
      if (state === 'moved') {
        // Retrying here would recreate the tenant in a store it has left.
        throw new TenantMigratingError(`Tenant ${start.tenant} has moved to another store; write to that store.`, { retryable: false });
      }
      let finish: () => void = () => {};
      const finished = new Promise<void>((resolve) => (finish = resolve));
      writesOf(start.tenant).set(start.operationId, { finished, finish });
    },
    afterOperation(event: OperationEvent) {
      if (event.tenant === undefined) return;
      const running = admitted.get(event.tenant);
      const write = running?.get(event.operationId);
      if (write === undefined) return;
      running!.delete(event.operationId);
      if (running!.size === 0) admitted.delete(event.tenant);
      write.finish();
    },
  };

  return {
    hooks,
    async close(tenantId) {
      fenced.set(tenantId, 'moving');
      await Promise.all([...(admitted.get(tenantId)?.values() ?? [])].map((write) => write.finished));
    },
    open(tenantId) {
      if (fenced.get(tenantId) === 'moving') fenced.delete(tenantId);
    },
    markMoved(tenantId) {
      fenced.set(tenantId, 'moved');
    },
  };
}
