import { expect, it } from 'vitest';
import { importTenant, toJsonLine, type TenantScope, type TenantVectorStore } from '@tenantvec/core';
import { collectionPerTenant } from '@tenantvec/collection-per-tenant';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { createTieredStore, memoryCheckpoint, memoryPlacementMap, migrateTenants, tenantChecksum, type PromotionStep } from '@tenantvec/tiered';
import { randomVector, seededRandom } from '../vectors.js';
import type { Harness } from '../harness.js';
import { lifecycleFencesSuite } from './lifecycle-fences-suite.js';

function records(count: number, seed: number, prefix = 'r') {
  const random = seededRandom(seed);
  return Array.from({ length: count }, (_, index) => ({
    id: `${prefix}${String(index).padStart(3, '0')}`,
    vector: randomVector(random, 8),
    text: `text of ${prefix}${index}`,
    metadata: { index, tags: ['a', `t${index % 3}`] },
    source: `kb/part${index % 2}`,
  }));
}

async function ids(scope: TenantScope): Promise<string[]> {
  return (await scope.query({ vector: [1, 0, 0, 0, 0, 0, 0, 0], topK: 100 })).map((hit) => hit.id).sort();
}

/** A second tier, or a migration target, on the same backend with the other kind of strategy. */
async function otherStore(harness: Harness): Promise<TenantVectorStore> {
  const strategy = harness.strategyName === 'collection-per-tenant' ? metadataFilter() : collectionPerTenant();
  return (await harness.newStore({ strategy })).store;
}

const steps: PromotionStep[] = ['mark', 'drain-writes', 'clear-target', 'copy', 'verify', 'switch', 'drain', 'delete-source'];

export function lifecycleSuite(harness: Harness): void {
  it('reports per-tenant stats: records, and bytes and last write where the backend knows them', async () => {
    const { store } = await harness.newStore();
    const before = Date.now();
    await store.forTenant('acme').upsert(records(4, 1));
    const stats = await store.forTenant('acme').stats();
    expect(stats.records).toBe(4);
    if (stats.bytes !== undefined) expect(stats.bytes).toBeGreaterThan(0);
    if (stats.lastWriteAt !== undefined) expect(stats.lastWriteAt.getTime()).toBeGreaterThanOrEqual(before - 1_000);
  });

  it('resumes an interrupted export from its cursor without losing or repeating records', async () => {
    const { store } = await harness.newStore();
    const acme = store.forTenant('acme');
    await acme.upsert(records(10, 2));
    const seen: string[] = [];
    let cursor: string | undefined;
    for await (const page of acme.exportPages({ pageSize: 3 })) {
      seen.push(...page.records.map((record) => record.id));
      cursor = page.next;
      if (seen.length >= 6) break;
    }
    expect(cursor).toBeDefined();
    for await (const page of acme.exportPages({ pageSize: 3, after: cursor! })) seen.push(...page.records.map((record) => record.id));
    expect(seen.sort()).toEqual(records(10, 2).map((record) => record.id));
  });

  it('round-trips a tenant through JSONL into another store, idempotently, with the same checksum', async () => {
    const { store } = await harness.newStore();
    const target = await otherStore(harness);
    const acme = store.forTenant('acme');
    await acme.upsert(records(7, 3));
    const lines: string[] = [];
    for await (const record of acme.export({ pageSize: 4 })) lines.push(toJsonLine(record));
    const jsonl = `${lines.join('\n')}\n`;
    // Chunks that cut lines in half, as a file stream does.
    const chunks = [jsonl.slice(0, 50), jsonl.slice(50, 333), jsonl.slice(333)];
    expect(await importTenant({ scope: target.forTenant('acme-copy'), from: { jsonl: chunks }, batchSize: 3 })).toEqual({ imported: 7 });
    await importTenant({ scope: target.forTenant('acme-copy'), from: { jsonl: [jsonl] } });
    expect(await target.forTenant('acme-copy').count()).toBe(7);
    expect(await tenantChecksum(target.forTenant('acme-copy'))).toEqual(await tenantChecksum(acme));
  });

  it('names the line of a bad record in an import', async () => {
    const { store } = await harness.newStore();
    const jsonl = ['{"id":"a","vector":[1,0,0,0,0,0,0,0]}', '', '{"id":"b","vector":[1,2]}', '{"id":"c","vector":[1,0,0,0,0,0,0,0],"tenant":"x"}'].join('\n');
    await expect(importTenant({ scope: store.forTenant('acme'), from: { jsonl: [jsonl.split('\n').slice(0, 3).join('\n')] } })).rejects.toThrow(/line 3: the vector has 2 dimensions/);
    await expect(importTenant({ scope: store.forTenant('acme'), from: { jsonl: [jsonl] } })).rejects.toThrow(/Line 4 has unknown fields tenant/);
  });

  it('verifies an erasure: the tenant counts 0 and every other tenant is unchanged', async () => {
    const { store } = await harness.newStore();
    for (const tenant of ['a', 'b', 'c']) await store.forTenant(tenant).upsert(records(3, 4));
    expect(await store.dropTenant('b', { verify: 'all' })).toEqual({ tenantId: 'b', remaining: 0, verified: 'all', otherTenantsChecked: 2 });
    expect(await store.forTenant('a').count()).toBe(3);
  });

  async function tiered(policy?: { promoteAbove: number; to: string }) {
    const shared = (await harness.newStore()).store;
    const dedicated = await otherStore(harness);
    const placements = memoryPlacementMap();
    const store = createTieredStore({ tiers: { shared, dedicated }, defaultTier: 'shared', placements, ...(policy === undefined ? {} : { policy }) });
    await store.forTenant('big').upsert(records(9, 5, 'big'));
    await store.forTenant('small').upsert(records(3, 6, 'small'));
    return { store, shared, dedicated, placements };
  }

  it('promotes a tenant to dedicated storage: copied, verified, switched, source removed, neighbours untouched', async () => {
    const { store, shared, dedicated } = await tiered();
    const before = await ids(store.forTenant('big'));
    const report = await store.promoteTenant('big', 'dedicated', { pageSize: 4 });
    expect(report).toMatchObject({ tenantId: 'big', from: 'shared', to: 'dedicated', copied: 9, alreadyPlaced: false });
    expect(await store.placementOf('big')).toEqual({ tier: 'dedicated' });
    expect([await dedicated.forTenant('big').count(), await shared.forTenant('big').count()]).toEqual([9, 0]);
    expect(await ids(store.forTenant('big'))).toEqual(before);
    expect(await ids(store.forTenant('small'))).toEqual(records(3, 6, 'small').map((record) => record.id));
    expect((await store.listTenants()).tenants).toEqual(['big', 'small']);
  });

  it('keeps reads working and holds writes while a tenant is being promoted', async () => {
    const { store } = await tiered();
    const before = await ids(store.forTenant('big'));
    const during: string[][] = [];
    await store.promoteTenant('big', 'dedicated', {
      onStep: async (step) => {
        during.push(await ids(store.forTenant('big')));
        if (step === 'copy') {
          await expect(store.forTenant('big').upsert([{ id: 'late', vector: [1, 0, 0, 0, 0, 0, 0, 0] }])).rejects.toMatchObject({ code: 'TENANT_MIGRATING', isRetryable: true });
        }
      },
    });
    for (const seen of during) expect(seen).toEqual(before);
    await store.forTenant('big').upsert([{ id: 'late', vector: [1, 0, 0, 0, 0, 0, 0, 0] }]);
    expect(await store.forTenant('big').count()).toBe(10);
  });

  for (const failing of steps) {
    it(`recovers from a failure at the ${failing} step of a promotion: a rerun leaves every record once, in one place`, async () => {
      const { store, shared, dedicated } = await tiered();
      const before = await ids(store.forTenant('big'));
      await expect(store.promoteTenant('big', 'dedicated', {
        pageSize: 4,
        onStep: (step) => {
          if (step === failing) throw new Error(`injected failure at ${step}`);
        },
      })).rejects.toThrow(`injected failure at ${failing}`);
      // In between, queries see the tenant whole, from one tier, never a mixture.
      expect(await ids(store.forTenant('big'))).toEqual(before);
      expect(await store.forTenant('big').count()).toBe(9);
      await store.promoteTenant('big', 'dedicated');
      expect(await store.placementOf('big')).toEqual({ tier: 'dedicated' });
      expect([await dedicated.forTenant('big').count(), await shared.forTenant('big').count()]).toEqual([9, 0]);
      expect(await ids(store.forTenant('big'))).toEqual(before);
      expect(await tenantChecksum(store.forTenant('big'))).toEqual(await tenantChecksum(dedicated.forTenant('big')));
    });
  }

  it('discards a stale copy left in the target by an abandoned attempt', async () => {
    const { store, dedicated } = await tiered();
    await dedicated.forTenant('big').upsert(records(2, 13, 'stale'));
    await store.promoteTenant('big', 'dedicated');
    expect((await ids(store.forTenant('big'))).some((id) => id.startsWith('stale'))).toBe(false);
    expect(await dedicated.forTenant('big').count()).toBe(9);
  });

  it('promotes automatically past the policy threshold', async () => {
    const { store, dedicated } = await tiered({ promoteAbove: 10, to: 'dedicated' });
    expect(await store.placementOf('big')).toEqual({ tier: 'shared' });
    await store.forTenant('big').upsert(records(2, 7, 'more'));
    expect(await store.placementOf('big')).toEqual({ tier: 'dedicated' });
    expect(await dedicated.forTenant('big').count()).toBe(11);
    expect(await store.placementOf('small')).toEqual({ tier: 'shared' });
  });

  it('lists tenants across tiers in pages, losing none at a page boundary', async () => {
    const { store } = await tiered();
    await store.forTenant('c').upsert(records(1, 14, 'c'));
    const listAll = async () => {
      const seen: string[] = [];
      let page = await store.listTenants({ limit: 2 });
      seen.push(...page.tenants);
      while (page.next !== undefined) {
        page = await store.listTenants({ limit: 2, after: page.next });
        seen.push(...page.tenants);
      }
      return seen;
    };
    // All in one tier: its full first page ends exactly where the merged page ends.
    expect(await listAll()).toEqual(['big', 'c', 'small']);
    await store.promoteTenant('c', 'dedicated');
    expect(await listAll()).toEqual(['big', 'c', 'small']);
  });

  it('drops a tiered tenant from every tier and its placement', async () => {
    const { store, shared, dedicated, placements } = await tiered();
    await store.promoteTenant('big', 'dedicated');
    await shared.forTenant('big').upsert(records(1, 8, 'stray'));
    await store.dropTenant('big');
    expect([await shared.forTenant('big').count(), await dedicated.forTenant('big').count()]).toEqual([0, 0]);
    expect(await placements.get('big')).toBeUndefined();
    expect(await store.forTenant('small').count()).toBe(3);
  });

  it('migrates tenants to another config, resuming from its checkpoint after a failure, and moves them', async () => {
    const { store: from } = await harness.newStore();
    const to = await otherStore(harness);
    await from.forTenant('t1').upsert(records(8, 9, 'a'));
    await from.forTenant('t2').upsert(records(5, 10, 'b'));
    const checkpoint = memoryCheckpoint();
    let pages = 0;
    await expect(migrateTenants({
      from, to, checkpoint, pageSize: 3, concurrency: 1, tenants: ['t1', 't2'],
      onProgress: (progress) => {
        if (progress.status === 'copying' && ++pages === 2) throw new Error('injected failure after two pages');
      },
    })).rejects.toThrow('injected failure');
    expect(await to.forTenant('t1').count()).toBe(6);
    const report = await migrateTenants({ from, to, checkpoint, pageSize: 3, move: true });
    expect(report.tenants.map((tenant) => [tenant.tenantId, tenant.copied, tenant.resumed])).toEqual([['t1', 8, true], ['t2', 5, false]]);
    expect([await to.forTenant('t1').count(), await to.forTenant('t2').count()]).toEqual([8, 5]);
    expect([await from.forTenant('t1').count(), await from.forTenant('t2').count()]).toEqual([0, 0]);
    expect(report.tenants[0]!.checksum).toBe((await tenantChecksum(to.forTenant('t1'))).checksum);
  });

  it('refuses to finish a migration whose copy differs from the source, and copies afresh on the rerun', async () => {
    const { store: from } = await harness.newStore();
    const to = await otherStore(harness);
    await from.forTenant('t1').upsert(records(3, 11));
    await to.forTenant('t1').upsert(records(1, 12, 'stale'));
    const checkpoint = memoryCheckpoint();
    await expect(migrateTenants({ from, to, tenants: ['t1'], checkpoint, move: true })).rejects.toMatchObject({ code: 'VERIFICATION_FAILED', isRetryable: true });
    expect(await from.forTenant('t1').count()).toBe(3);
    // The bad copy is not resumed from its checkpoint (it would fail again, forever): a rerun starts afresh.
    await migrateTenants({ from, to, tenants: ['t1'], checkpoint, move: true });
    expect([await from.forTenant('t1').count(), await to.forTenant('t1').count()]).toEqual([0, 3]);
    expect(await ids(to.forTenant('t1'))).toEqual(records(3, 11).map((record) => record.id));
  });

  lifecycleFencesSuite(harness);
}
