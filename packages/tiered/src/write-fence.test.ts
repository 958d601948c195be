import { describe, expect, it } from 'vitest';
import { createTenantVectorStore, memoryBackend, type StoreHooks } from '@tenantvec/core';
import { collectionPerTenant } from '@tenantvec/collection-per-tenant';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { memoryCheckpoint } from './migration-checkpoint.js';
import { migrateTenants } from './migrate-tenants.js';
import { writeFence } from './write-fence.js';

/** Fails with a timeout instead of hanging the run, so a fence that never opens shows as a failure. */
function within<T>(milliseconds: number, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`still waiting after ${milliseconds} ms`)), milliseconds)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

describe('write fence', () => {
  it('hears a write finish when an audit hook before it fails closed, so a fenced move does not hang', async () => {
    const fence = writeFence();
    const auditDown = new Error('audit sink unreachable');
    let auditFailing = true;
    const audit: StoreHooks = {
      afterOperation: () => {
        if (auditFailing) throw auditDown;
      },
    };
    const from = await createTenantVectorStore({ backend: memoryBackend(), strategy: metadataFilter(), dimension: 2, hooks: [audit, fence.hooks] });
    const to = await createTenantVectorStore({ backend: memoryBackend(), strategy: collectionPerTenant(), dimension: 2 });
    // The write lands, but the audit refuses to record it: the caller must still hear the refusal.
    await expect(from.forTenant('t1').upsert([{ id: 'a', vector: [1, 0] }, { id: 'b', vector: [0, 1] }])).rejects.toBe(auditDown);
    auditFailing = false;
    await within(2_000, migrateTenants({ from, to, tenants: ['t1'], checkpoint: memoryCheckpoint(), move: true, fence }));
    expect([await from.forTenant('t1').count(), await to.forTenant('t1').count()]).toEqual([0, 2]);
    await expect(from.forTenant('t1').upsert([{ id: 'late', vector: [1, 0] }])).rejects.toMatchObject({ code: 'TENANT_MIGRATING', isRetryable: false });
  });
});
