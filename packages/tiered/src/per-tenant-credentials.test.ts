import { describe, expect, it } from 'vitest';
import { createTenantVectorStore, customEmbedder, memoryBackend, type VectorBackend } from '@tenantvec/core';
import { collectionPerTenant } from '@tenantvec/collection-per-tenant';
import { metadataFilter } from '@tenantvec/metadata-filter';
import { createTieredStore } from './tiered-store.js';
import { memoryPlacementMap } from './placement-map.js';

/** An embedder that says whose key it holds, so the test can see which one served a call. */
function keyedEmbedder(key: string, calls: string[]) {
  return customEmbedder({ dimension: 2, embed: async (texts) => texts.map((text) => (calls.push(key), [1, text.length])) });
}

describe('per-tenant credentials through placement', () => {
  it("binds a tenant to its own backend connection and its own embedder key; others never touch them", async () => {
    const calls: string[] = [];
    const sharedBackend: VectorBackend = memoryBackend();
    const bankBackend: VectorBackend = memoryBackend(); // stands for the bank's own database
    const store = createTieredStore({
      tiers: {
        shared: await createTenantVectorStore({ backend: sharedBackend, strategy: metadataFilter(), dimension: 2, embedder: keyedEmbedder('platform-key', calls) }),
        'bank-a': await createTenantVectorStore({ backend: bankBackend, strategy: collectionPerTenant(), dimension: 2, embedder: keyedEmbedder('bank-a-key', calls) }),
      },
      defaultTier: 'shared',
      placements: memoryPlacementMap({ 'bank-a': { tier: 'bank-a' } }),
    });
    await store.forTenant('bank-a').upsert([{ id: 'ledger', text: 'wire transfers' }]);
    await store.forTenant('shop').upsert([{ id: 'ledger', text: 'orders' }]);
    expect(calls).toEqual(['bank-a-key', 'platform-key']);
    expect((await bankBackend.listCollections({ prefix: '' })).map((collection) => collection.tenant)).toEqual(['bank-a']);
    expect(await sharedBackend.rawListTenantKeys({ collection: 'tenantvec-shared', key: 'tenant', limit: 10 })).toEqual(['shop']);
    calls.length = 0;
    expect((await store.forTenant('bank-a').query({ text: 'transfers' }))[0]!.text).toBe('wire transfers');
    expect(calls).toEqual(['bank-a-key']);
  });
});
