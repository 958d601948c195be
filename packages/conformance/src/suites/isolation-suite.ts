import { expect, it } from 'vitest';
import fc from 'fast-check';
import type { TenantScope } from '@tenantvec/core';
import { randomVector, seededRandom } from '../vectors.js';
import type { Harness } from '../harness.js';

const vector = [1, 0.5, 0, 0, 0, 0, 0, 0];

/** Writes one record per tenant under the same id, each marked with its owner. */
async function writeMarked(scopes: TenantScope[], id = 'doc'): Promise<void> {
  for (const scope of scopes) await scope.upsert([{ id, vector, metadata: { owner: scope.tenantId }, source: 'kb/a' }]);
}

async function owners(scope: TenantScope): Promise<string[]> {
  const hits = await scope.query({ vector, topK: 100 });
  return [...new Set(hits.map((hit) => String(hit.metadata.owner)))];
}

/** Tenant ids that one careless mapping or another would merge. */
const collidingGroups: Record<string, string[]> = {
  'case folding': ['acme', 'Acme', 'ACME'],
  'punctuation folding': ['a_c', 'a-c', 'a.c', 'ac'],
  'LIKE wildcards': ['a_c', 'abc', 'a-c'],
  'prefixes and delimiters': ['acme', 'acme-corp', 'acme.corp', 'acme_corp', 'acm'],
  truncation: ['t'.repeat(127) + 'a', 't'.repeat(127) + 'b', 'T'.repeat(127) + 'a'],
};

export function isolationSuite(harness: Harness): void {
  it('keeps the same record id in two tenants as two records', async () => {
    const { store } = await harness.newStore();
    const [a, b] = [store.forTenant('a'), store.forTenant('b')];
    await writeMarked([a, b]);
    expect((await a.get('doc'))!.metadata.owner).toBe('a');
    expect((await b.get('doc'))!.metadata.owner).toBe('b');
    await a.delete({ ids: ['doc'] });
    expect(await a.get('doc')).toBeNull();
    expect((await b.get('doc'))!.metadata.owner).toBe('b');
  });

  it("answers another tenant's ids as not found, and deleting them changes nothing", async () => {
    const { store } = await harness.newStore();
    const [a, b] = [store.forTenant('a'), store.forTenant('b')];
    await b.upsert([{ id: 'secret', vector, metadata: { owner: 'b' }, source: 'kb/secret' }]);
    expect(await a.get('secret')).toBeNull();
    expect(await a.getMany(['secret'])).toEqual([]);
    await a.delete({ ids: ['secret'] });
    await a.delete({ filter: { owner: 'b' } });
    await a.delete({ source: 'kb' });
    expect(await a.count({ filter: { owner: 'b' } })).toBe(0);
    expect(await a.query({ vector, topK: 100 })).toEqual([]);
    expect(await b.count()).toBe(1);
    expect((await b.get('secret'))!.metadata.owner).toBe('b');
  });

  for (const [name, ids] of Object.entries(collidingGroups)) {
    it(`keeps apart tenant ids that collide under ${name}`, async () => {
      const { store } = await harness.newStore();
      const scopes = ids.map((id) => store.forTenant(id));
      await writeMarked(scopes);
      for (const scope of scopes) {
        expect(await owners(scope)).toEqual([scope.tenantId]);
        expect(await scope.count()).toBe(1);
      }
      await store.dropTenant(ids[0]!);
      for (const scope of scopes.slice(1)) expect(await scope.count()).toBe(1);
      expect(await scopes[0]!.count()).toBe(0);
    });
  }

  it('rejects tenant ids outside the rule before any I/O', async () => {
    const { store, calls } = await harness.newStore();
    const bad = ['', ' acme', 'acme ', 'a%', 'a*', 'a/b', 'a:b', '-acme', '.acme', 'ac\u0000me', 'acmé', 'a'.repeat(129), 42, null];
    for (const id of bad) {
      expect(() => store.forTenant(id as string)).toThrow(expect.objectContaining({ code: 'INVALID_TENANT_ID' }));
    }
    await expect(store.dropTenant('a%')).rejects.toMatchObject({ code: 'INVALID_TENANT_ID' });
    expect(calls).toEqual([]);
  });

  it('rejects filters that name reserved fields, alone or inside $or, $and and $not', async () => {
    const { store, calls } = await harness.newStore();
    const a = store.forTenant('a');
    const widening = [
      { tenant: 'b' },
      { tenant: { $ne: 'a' } },
      { $or: [{ tenant: 'b' }, { kind: 'x' }] },
      { $or: [{ kind: 'x' }, { $and: [{ source: { $exists: true } }] }] },
      { $not: { tenant: 'a' } },
      { id: 'b:doc' },
      { record_id: 'doc' },
      { Tenant: 'b' },
      { _tenant: 'b' },
      { $tenant: 'b' },
    ];
    for (const filter of widening) {
      await expect(a.query({ vector, filter: filter as never })).rejects.toMatchObject({ code: 'INVALID_FILTER' });
      await expect(a.delete({ filter: filter as never })).rejects.toMatchObject({ code: 'INVALID_FILTER' });
    }
    expect(calls).toEqual([]);
  });

  it('never widens scope with an $or that matches everything', async () => {
    const { store } = await harness.newStore();
    const scopes = ['a', 'b', 'c'].map((id) => store.forTenant(id));
    await writeMarked(scopes);
    const everything = { $or: [{ owner: { $exists: true } }, { owner: { $exists: false } }] };
    expect((await scopes[0]!.query({ vector, topK: 100, filter: everything })).map((hit) => hit.metadata.owner)).toEqual(['a']);
    expect(await scopes[0]!.count({ filter: everything })).toBe(1);
    await scopes[0]!.delete({ filter: everything });
    expect(await scopes[1]!.count()).toBe(1);
    expect(await scopes[2]!.count()).toBe(1);
  });

  it('keeps sub-scopes to exact folders: kb/a_c never sees kb/abc, kb/fin never sees kb/finance', async () => {
    const { store } = await harness.newStore();
    const acme = store.forTenant('acme');
    await acme.upsert([
      { id: 'underscore', vector, source: 'kb/a_c/doc' },
      { id: 'letters', vector, source: 'kb/abc/doc' },
      { id: 'percent', vector, source: 'kb/a%c/doc' },
      { id: 'finance', vector, source: 'kb/finance' },
    ]);
    expect((await acme.scope('kb/a_c').query({ vector })).map((hit) => hit.id)).toEqual(['underscore']);
    expect((await acme.scope('kb/a%c').query({ vector })).map((hit) => hit.id)).toEqual(['percent']);
    expect(await acme.scope('kb/fin').count()).toBe(0);
    expect(await acme.scope('kb/a').count()).toBe(0);
  });

  it('drops exactly one tenant: its records and listing go, every other tenant stays whole', async () => {
    const { store } = await harness.newStore();
    const ids = ['acme', 'acme-corp', 'beta', 'gamma'];
    const scopes = ids.map((id) => store.forTenant(id));
    for (const scope of scopes) {
      await scope.upsert(Array.from({ length: 3 }, (_, n) => ({ id: `r${n}`, vector, metadata: { owner: scope.tenantId } })));
    }
    expect((await store.listTenants()).tenants).toEqual(ids);
    await store.dropTenant('acme');
    expect(await scopes[0]!.count()).toBe(0);
    expect(await scopes[0]!.query({ vector })).toEqual([]);
    for (const scope of scopes.slice(1)) expect(await scope.count()).toBe(3);
    expect((await store.listTenants()).tenants).toEqual(['acme-corp', 'beta', 'gamma']);
    await store.dropTenant('never-existed');
    await scopes[0]!.upsert([{ id: 'again', vector }]);
    expect(await scopes[0]!.count()).toBe(1);
  });

  it('lists tenants in pages', async () => {
    const { store } = await harness.newStore();
    const ids = ['t1', 't2', 't3', 't4', 't5'];
    await writeMarked(ids.map((id) => store.forTenant(id)));
    const first = await store.listTenants({ limit: 2 });
    expect(first).toEqual({ tenants: ['t1', 't2'], next: 't2' });
    const second = await store.listTenants({ limit: 2, after: first.next! });
    expect(second).toEqual({ tenants: ['t3', 't4'], next: 't4' });
    expect(await store.listTenants({ limit: 2, after: second.next! })).toEqual({ tenants: ['t5'] });
  });

  it('keeps 50 tenants apart while they write and query concurrently', async () => {
    const { store } = await harness.newStore();
    const tenantCount = 50;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ tenant: fc.nat(tenantCount - 1), id: fc.constantFrom('x', 'y', 'z', 'X', 'x ', 'x%'), seed: fc.nat() }), { minLength: 50, maxLength: 120 }),
        async (writes) => {
          const expected = new Map<string, Set<string>>();
          await Promise.all(
            writes.map(async ({ tenant, id, seed }) => {
              const tenantId = `p${tenant}`;
              const scope = store.forTenant(tenantId);
              if (!expected.has(tenantId)) expected.set(tenantId, new Set());
              expected.get(tenantId)!.add(id);
              await scope.upsert([{ id, vector: randomVector(seededRandom(seed), 8), metadata: { owner: tenantId } }]);
              const hits = await scope.query({ vector: randomVector(seededRandom(seed + 1), 8), topK: 20 });
              for (const hit of hits) expect(hit.metadata.owner).toBe(tenantId);
            }),
          );
          await Promise.all(
            [...expected].map(async ([tenantId, recordIds]) => {
              const scope = store.forTenant(tenantId);
              const hits = await scope.query({ vector, topK: 20 });
              expect(hits.every((hit) => hit.metadata.owner === tenantId)).toBe(true);
              expect(new Set(hits.map((hit) => hit.id))).toEqual(recordIds);
            }),
          );
          await Promise.all([...expected.keys()].map((tenantId) => store.dropTenant(tenantId)));
        },
      ),
      { numRuns: 3, seed: 20261123 },
    );
  });

  nestedStoreNamesSuite(harness);
}

/**
 * Stores on one backend whose names nest: `x`, `x_t_y` and `x_t`. A collection-per-tenant store
 * once listed tenants by the bare prefix `x_t_`, which also begins `x_t_y`'s collections, and cut
 * a long tenant's slug so that both stores named it alike. Every strategy is held to it.
 */
function nestedStoreNamesSuite(harness: Harness): void {
  it('keeps stores apart whose names nest: x never lists, reads or drops what x_t_y or x_t holds', async () => {
    let base = '';
    const { store: outer } = await harness.newStore({ name: (unique) => (base = unique) });
    const { store: inner } = await harness.newStore({ sharingBackendWith: outer, name: () => `${base}_t_y` });
    const { store: shortInner } = await harness.newStore({ sharingBackendWith: outer, name: () => `${base}_t` });
    // Long and periodic in 'y_t_': cut to fit a name, it once read the same under both prefixes.
    const periodic = 'y_t_'.repeat(32);
    const mark = async (store: typeof outer, tenants: string[], owner: string) => {
      for (const tenant of tenants) await store.forTenant(tenant).upsert([{ id: 'doc', vector, metadata: { owner } }]);
    };
    await mark(inner, ['bob', periodic], 'inner');
    await mark(shortInner, ['carol'], 'short');
    await mark(outer, ['alice', periodic], 'outer');
    expect((await outer.listTenants()).tenants).toEqual(['alice', periodic]);
    expect((await inner.listTenants()).tenants).toEqual(['bob', periodic]);
    expect((await shortInner.listTenants()).tenants).toEqual(['carol']);
    expect(await owners(outer.forTenant(periodic))).toEqual(['outer']);
    expect(await owners(inner.forTenant(periodic))).toEqual(['inner']);
    expect(await outer.forTenant('bob').count()).toBe(0);
    await outer.dropTenant(periodic);
    await outer.dropTenant('bob');
    expect(await outer.forTenant(periodic).count()).toBe(0);
    expect(await owners(inner.forTenant(periodic))).toEqual(['inner']);
    expect((await inner.listTenants()).tenants).toEqual(['bob', periodic]);
  });
}
