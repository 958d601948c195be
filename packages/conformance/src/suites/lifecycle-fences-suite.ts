import { expect, it } from 'vitest';
import { TenantVecError, type TenantScope, type TenantVectorStore } from '@tenantvec/core';
import { collectionPerTenant } from '@tenantvec/collection-per-tenant';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { createTieredStore, memoryCheckpoint, memoryPlacementMap, migrateTenants, writeFence, type PromotionStep } from '@tenantvec/tiered';
import { randomVector, seededRandom } from '../vectors.js';
import type { Harness, StoreOptions } from '../harness.js';

function records(count: number, seed: number, prefix: string) {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => ({ id: `${prefix}${String(index).padStart(3, '0')}`, vector: randomVector(random, 8), metadata: { index } }));
}

const sleep = (milliseconds: number) => new Promise((resolve) => setTimeout(resolve, milliseconds));

function isMigrating(error: unknown): error is TenantVecError {
  return TenantVecError.isInstance(error) && error.code === 'TENANT_MIGRATING';
}

/**
 * One writer as an application runs it: each record is retried while the tenant moves, and once
 * the source says the tenant has left, written to where it went. Returns the ids whose upsert
 * resolved — the writes the application was told succeeded.
 */
async function writer(params: { name: string; scope: () => TenantScope; movedTo?: () => TenantScope; finished: () => boolean; started: () => void }) {
  const acknowledged: string[] = [];
  const random = seededRandom(params.name.length * 7919);
  let scope = params.scope();
  // Writes that began after the move ended: without them a write recreating the source goes unseen.
  let afterFinish = 0;
  const deadline = Date.now() + 30_000;
  while (afterFinish < 3) {
    if (Date.now() > deadline) throw new Error(`writer ${params.name} did not get through in 30 s`);
    const finishedBefore = params.finished();
    const id = `${params.name}-${String(acknowledged.length).padStart(4, '0')}`;
    try {
      await scope.upsert([{ id, vector: randomVector(random, 8), metadata: { writer: params.name } }]);
      acknowledged.push(id);
      if (acknowledged.length === 2) params.started();
      if (finishedBefore) afterFinish += 1;
    } catch (error) {
      if (!isMigrating(error)) throw error;
      if (!error.isRetryable && params.movedTo === undefined) throw error;
      if (!error.isRetryable) scope = params.movedTo!();
    }
    // Paced, so a slow backend's move sees a bounded number of writes.
    await sleep(5);
  }
  return acknowledged;
}

/** Starts writers and resolves once each has been acknowledged twice, so the move starts under load. */
function startWriters(names: string[], options: Omit<Parameters<typeof writer>[0], 'name' | 'started'>) {
  let started = 0;
  let allStarted: () => void = () => {};
  const running = new Promise<void>((resolve) => (allStarted = resolve));
  const writers = names.map((name) => writer({ ...options, name, started: () => ++started === names.length && allStarted() }));
  return { running, acknowledged: async () => (await Promise.all(writers)).flat().sort() };
}

async function presentIds(scope: TenantScope, ids: readonly string[]): Promise<string[]> {
  return (await scope.getMany(ids)).map((record) => record.id).sort();
}

async function otherStore(harness: Harness, options: StoreOptions = {}): Promise<TenantVectorStore> {
  const strategy = harness.strategyName === 'collection-per-tenant' ? metadataFilter() : collectionPerTenant();
  return (await harness.newStore({ ...options, strategy })).store;
}

export function lifecycleFencesSuite(harness: Harness): void {
  async function tiered(intercept?: StoreOptions['intercept']) {
    const shared = (await harness.newStore(intercept === undefined ? {} : { intercept })).store;
    const dedicated = await otherStore(harness);
    const store = createTieredStore({ tiers: { shared, dedicated }, defaultTier: 'shared', placements: memoryPlacementMap() });
    await store.forTenant('big').upsert(records(9, 21, 'big'));
    return { store, shared, dedicated };
  }

  it('keeps a write admitted before the promotion mark: the promotion waits for it before copying, and it lands in the target', async () => {
    let holding = false;
    let release: () => void = () => {};
    let reachedBackend: () => void = () => {};
    const atBackend = new Promise<void>((resolve) => (reachedBackend = resolve));
    const order: string[] = [];
    const { store, shared, dedicated } = await tiered(async (method, call) => {
      if (method === 'rawUpsert' && holding) {
        holding = false;
        reachedBackend();
        await new Promise<void>((resolve) => (release = resolve));
        // Still slow once let go: a promotion that does not wait for it reaches the copy first.
        await sleep(50);
        const written = await call();
        order.push('write-landed');
        return written;
      }
      return call();
    });
    holding = true;
    // Past the placement check and at the source's backend when the promotion starts.
    const slowWrite = store.forTenant('big').upsert([{ id: 'slow', vector: [0, 1, 0, 0, 0, 0, 0, 0] }]);
    await atBackend;
    const promotion = store.promoteTenant('big', 'dedicated', {
      pageSize: 4,
      onStep: (step) => {
        order.push(step);
        // Let the write go once the promotion waits for writes (or, should it skip that, at the switch).
        if (step === 'drain-writes' || step === 'drain') release();
      },
    });
    await Promise.all([slowWrite, promotion]);
    // The drain waits for the write's own completion, so the write is in the source before the
    // target is cleared and the copy reads the source.
    expect(order.slice(0, 5)).toEqual(['mark', 'drain-writes', 'write-landed', 'clear-target', 'copy']);
    expect(await store.forTenant('big').get('slow')).toMatchObject({ id: 'slow' });
    expect([await dedicated.forTenant('big').count(), await shared.forTenant('big').count()]).toEqual([10, 0]);
  });

  it('loses no acknowledged write of concurrent writers during a promotion: each is readable once, in the target', async () => {
    const { store, shared, dedicated } = await tiered();
    let finished = false;
    const writers = startWriters(['w1', 'w2', 'w3'], { scope: () => store.forTenant('big'), finished: () => finished });
    await writers.running;
    const report = await store.promoteTenant('big', 'dedicated', { pageSize: 4 }).finally(() => (finished = true));
    const acknowledged = await writers.acknowledged();
    expect(report.alreadyPlaced).toBe(false);
    expect(acknowledged.length).toBeGreaterThanOrEqual(9);
    expect(await presentIds(store.forTenant('big'), acknowledged)).toEqual(acknowledged);
    expect(await presentIds(dedicated.forTenant('big'), acknowledged)).toEqual(acknowledged);
    expect([await dedicated.forTenant('big').count(), await shared.forTenant('big').count()]).toEqual([9 + acknowledged.length, 0]);
  });

  it('converges on a tenant written behind the router mid-copy: the copy is retried, not the promotion refused', async () => {
    const { store, shared, dedicated } = await tiered();
    let verifications = 0;
    const report = await store.promoteTenant('big', 'dedicated', {
      retryDelayMs: 1,
      onStep: async (step) => {
        // Another process's write, which this process's fence cannot see, lands under the first copy.
        if (step === 'verify' && ++verifications === 1) await shared.forTenant('big').upsert([{ id: 'elsewhere', vector: [0, 0, 1, 0, 0, 0, 0, 0] }]);
      },
    });
    expect(verifications).toBe(2);
    expect(report.copied).toBe(10);
    expect(await dedicated.forTenant('big').get('elsewhere')).toMatchObject({ id: 'elsewhere' });
    expect(await shared.forTenant('big').count()).toBe(0);
  });

  it('gives up after copyAttempts on a tenant that never stops changing, and leaves it writable in the source', async () => {
    const { store, shared, dedicated } = await tiered();
    const seen: PromotionStep[] = [];
    let writes = 0;
    await expect(store.promoteTenant('big', 'dedicated', {
      copyAttempts: 2,
      retryDelayMs: 1,
      onStep: async (step) => {
        seen.push(step);
        if (step === 'verify') await shared.forTenant('big').upsert([{ id: `elsewhere${++writes}`, vector: [0, 0, 1, 0, 0, 0, 0, 0] }]);
      },
    })).rejects.toMatchObject({ code: 'VERIFICATION_FAILED', isRetryable: true });
    expect(seen.filter((step) => step === 'copy')).toHaveLength(2);
    expect(await store.placementOf('big')).toEqual({ tier: 'shared' });
    expect([await shared.forTenant('big').count(), await dedicated.forTenant('big').count()]).toEqual([11, 0]);
    await store.forTenant('big').upsert([{ id: 'after', vector: [1, 0, 0, 0, 0, 0, 0, 0] }]);
    expect(await store.forTenant('big').count()).toBe(12);
  });

  it('moves a tenant behind a write fence while writers run: every acknowledged write ends in the target only', async () => {
    const fence = writeFence();
    const from = (await harness.newStore({ hooks: [fence.hooks] })).store;
    const to = await otherStore(harness);
    await from.forTenant('t1').upsert(records(8, 22, 'a'));
    let finished = false;
    const writers = startWriters(['m1', 'm2'], { scope: () => from.forTenant('t1'), movedTo: () => to.forTenant('t1'), finished: () => finished });
    await writers.running;
    await migrateTenants({ from, to, tenants: ['t1'], checkpoint: memoryCheckpoint(), pageSize: 3, move: true, fence }).finally(() => (finished = true));
    const acknowledged = await writers.acknowledged();
    expect(await from.forTenant('t1').count()).toBe(0);
    expect(await presentIds(to.forTenant('t1'), acknowledged)).toEqual(acknowledged);
    expect(await to.forTenant('t1').count()).toBe(8 + acknowledged.length);
    await expect(from.forTenant('t1').upsert([{ id: 'late', vector: [1, 0, 0, 0, 0, 0, 0, 0] }])).rejects.toMatchObject({ code: 'TENANT_MIGRATING', isRetryable: false });
  });

  it('opens the fence again when a fenced move fails, and a rerun finishes it', async () => {
    const fence = writeFence();
    const from = (await harness.newStore({ hooks: [fence.hooks] })).store;
    const to = await otherStore(harness);
    await from.forTenant('t1').upsert(records(8, 23, 'a'));
    let during: Promise<unknown> | undefined;
    await expect(migrateTenants({
      from, to, tenants: ['t1'], checkpoint: memoryCheckpoint(), pageSize: 3, move: true, fence,
      onProgress: (progress) => {
        if (progress.status !== 'copying') return;
        during = from.forTenant('t1').upsert([{ id: 'during', vector: [1, 0, 0, 0, 0, 0, 0, 0] }]);
        throw new Error('injected failure mid-copy');
      },
    })).rejects.toThrow('injected failure mid-copy');
    await expect(during).rejects.toMatchObject({ code: 'TENANT_MIGRATING', isRetryable: true });
    await from.forTenant('t1').upsert([{ id: 'between', vector: [1, 0, 0, 0, 0, 0, 0, 0] }]);
    expect(await from.forTenant('t1').count()).toBe(9);
    // A fresh checkpoint: the write admitted between the runs may sort before the saved cursor.
    await migrateTenants({ from, to, tenants: ['t1'], checkpoint: memoryCheckpoint(), pageSize: 3, move: true, fence });
    expect([await from.forTenant('t1').count(), await to.forTenant('t1').count()]).toEqual([0, 9]);
  });

  it('refuses to move a tenant whose source changed after its verified copy when there is no fence', async () => {
    const { store } = await harness.newStore();
    const to = await otherStore(harness);
    await store.forTenant('t1').upsert(records(5, 24, 'a'));
    let exports = 0;
    // A writer the migration cannot fence, landing between the verification and the drop.
    const from: TenantVectorStore = {
      ...store,
      forTenant: (tenantId) => {
        const scope = store.forTenant(tenantId);
        return {
          ...scope,
          export: async function* (params) {
            if (tenantId === 't1' && ++exports === 2) await scope.upsert([{ id: 'racing', vector: [1, 0, 0, 0, 0, 0, 0, 0] }]);
            yield* scope.export(params);
          },
        };
      },
    };
    const checkpoint = memoryCheckpoint();
    await expect(migrateTenants({ from, to, tenants: ['t1'], checkpoint, move: true })).rejects.toMatchObject({ code: 'TENANT_MIGRATING', isRetryable: true });
    expect([await store.forTenant('t1').count(), await to.forTenant('t1').count()]).toEqual([6, 0]);
    await migrateTenants({ from: store, to, tenants: ['t1'], checkpoint, move: true });
    expect([await store.forTenant('t1').count(), await to.forTenant('t1').count()]).toEqual([0, 6]);
  });

  it('refuses a checkpoint made for another migration, before copying anything', async () => {
    const { store: from } = await harness.newStore();
    const to = await otherStore(harness);
    const elsewhere = await otherStore(harness);
    await from.forTenant('t1').upsert(records(3, 25, 'a'));
    const checkpoint = memoryCheckpoint();
    await migrateTenants({ from, to, tenants: ['t1'], checkpoint, fingerprint: 'from-a-to-b' });
    await expect(migrateTenants({ from, to: elsewhere, tenants: ['t1'], checkpoint, fingerprint: 'from-a-to-c', move: true })).rejects.toMatchObject({
      code: 'CONFIGURATION',
      name: 'CheckpointMismatchError',
      message: expect.stringMatching(/another migration/),
    });
    expect([await from.forTenant('t1').count(), await elsewhere.forTenant('t1').count()]).toEqual([3, 0]);
  });
}
