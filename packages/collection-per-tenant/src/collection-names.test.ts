import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTenantVectorStore, memoryBackend, type VectorBackend } from '@tenantvec/core';
import { physicalName, type NameRules, type StrategyContext } from '@tenantvec/core/backend';
import { collectionOf, tenantCollectionPrefix, tenantListingPrefix } from './collection-names.js';
import { collectionPerTenant } from './index.js';

const postgres: NameRules = { maxLength: 63, letterCase: 'lower', separator: '_' };
const pinecone: NameRules = { maxLength: 45, letterCase: 'lower', separator: '-' };

function contextOf(baseName: string, rules: NameRules): StrategyContext {
  const backend = { name: 'names-only', capabilities: { collectionNames: rules } } as unknown as VectorBackend;
  return { backend, dimension: 2, metric: 'cosine', baseName };
}

/** Store names as the store accepts them, rich in the '_t' that once made prefixes overlap. */
const storeName = fc
  .array(fc.constantFrom('x', 't', '_', '_t', 'tt', '_t_', '7'), { minLength: 1, maxLength: 8 })
  .map((parts) => `x${parts.join('')}`.slice(0, 24));
const tenantId = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,40}$/);

describe('tenant collection names', () => {
  it('leave names without a separator before t as they were', () => {
    expect(collectionOf(contextOf('tenantvec', postgres), 'acme')).toBe(physicalName({ prefix: 'tenantvec_t', tenantId: 'acme', rules: postgres }));
    expect(tenantListingPrefix(contextOf('my_store', pinecone))).toBe('my-store-t-');
  });

  it("write each '<separator>t' of the store name as '<separator>tt'", () => {
    expect(tenantCollectionPrefix(contextOf('x_t_y', postgres))).toBe('x_tt_y_t');
    expect(tenantCollectionPrefix(contextOf('x_t', pinecone))).toBe('x-tt-t');
    expect(tenantCollectionPrefix(contextOf('app_tt', postgres))).toBe('app_ttt_t');
  });

  it("never let one store's listing prefix begin another store's collection name", () => {
    fc.assert(
      fc.property(storeName, storeName, tenantId, (left, right, tenant) => {
        fc.pre(left !== right);
        for (const rules of [postgres, pinecone]) {
          const name = collectionOf(contextOf(right, rules), tenant);
          expect(name.startsWith(tenantListingPrefix(contextOf(left, rules)))).toBe(false);
          expect(name).not.toBe(collectionOf(contextOf(left, rules), tenant));
        }
      }),
      { numRuns: 1000, seed: 15 },
    );
  });

  it('keep a long tenant id of store x and of store x_t_y in two collections', () => {
    // The slug is cut to fit, so before the escaping both stores named this tenant alike.
    const periodic = 'y_t_'.repeat(32);
    expect(collectionOf(contextOf('x', postgres), periodic)).not.toBe(collectionOf(contextOf('x_t_y', postgres), periodic));
  });
});

describe('opening a store', () => {
  it('refuses a store name that leaves no room for tenant names, at once and without echoing it', async () => {
    const backend = memoryBackend();
    const name = 'a_t_t_t_t_t_t_t_t_t_t_tt';
    const capabilities = { ...backend.capabilities, collectionNames: pinecone };
    const narrow = new Proxy(backend, { get: (target, property) => (property === 'capabilities' ? capabilities : Reflect.get(target, property, target)) });
    const error = await createTenantVectorStore({ backend: narrow, strategy: collectionPerTenant(), dimension: 2, name }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CONFIGURATION' });
    expect((error as Error).message).not.toContain(name.replaceAll('_', '-'));
  });

  it('refuses a store whose tenants sit in collections of the earlier, unescaped layout', async () => {
    const backend = memoryBackend();
    const earlier = physicalName({ prefix: 'x-t-y-t', tenantId: 'acme', rules: backend.capabilities.collectionNames });
    await backend.ensureCollection({ collection: { name: earlier, dimension: 2, metric: 'cosine', tenantField: false, partitioned: false, tenant: 'acme' } });
    const error = await createTenantVectorStore({ backend, strategy: collectionPerTenant(), dimension: 2, name: 'x_t_y' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CONFIGURATION', message: expect.stringContaining('Export those tenants') });
    expect((error as Error).message).not.toContain('acme');
  });

  it("opens store x beside store x_t_y's collections and lists none of them", async () => {
    const backend = memoryBackend();
    const inner = await createTenantVectorStore({ backend, strategy: collectionPerTenant(), dimension: 2, name: 'x_t_y' });
    await inner.forTenant('bob').upsert([{ id: 'a', vector: [1, 0] }]);
    const outer = await createTenantVectorStore({ backend, strategy: collectionPerTenant(), dimension: 2, name: 'x' });
    expect((await outer.listTenants()).tenants).toEqual([]);
    expect((await inner.listTenants()).tenants).toEqual(['bob']);
  });
});
