import { describe, expect, it } from 'vitest';
import { customEmbedder } from './custom-embedder.js';
import { ConfigurationError } from './errors.js';
import { memoryBackend } from './memory/memory-backend.js';
import { createTenantVectorStore } from './tenant-vector-store.js';
import type { IsolationStrategy } from './isolation-strategy.js';

// A strategy without the strategy packages: a collection per tenant, inline.
const inlineStrategy: IsolationStrategy = {
  contractVersion: 1,
  type: 'collection-per-tenant',
  unmetRequirements: () => [],
  async prepare() {},
  place: (_, tenantId) => ({ location: { collection: `c-${tenantId}` }, scope: {}, physicalId: (id) => id, physicalSource: (source) => source, tenantSource: (source) => source }),
  async onboard(context, tenantId) {
    await context.backend.ensureCollection({ collection: { name: `c-${tenantId}`, dimension: context.dimension, metric: context.metric, tenantField: false, partitioned: false, tenant: tenantId } });
  },
  async offboard() {},
  async listTenants() {
    return [];
  },
};

describe('customEmbedder', () => {
  it('embeds through any function, in batches of its size, and the store checks what comes back', async () => {
    const calls: number[] = [];
    const embedder = customEmbedder({
      dimension: 2,
      maxBatchSize: 2,
      embed: async (texts) => {
        calls.push(texts.length);
        return texts.map((text) => [text.length, 1]);
      },
    });
    const store = await createTenantVectorStore({ backend: memoryBackend(), strategy: inlineStrategy, dimension: 2, embedder });
    await store.forTenant('acme').upsert([{ id: 'a', text: 'x' }, { id: 'b', text: 'xx' }, { id: 'c', text: 'xxxxxx' }]);
    expect(calls).toEqual([2, 1]);

    const wrong = customEmbedder({ dimension: 2, embed: async (texts) => ({ embeddings: texts.map(() => [1, 2, 3]), usage: { tokens: 3 } }) });
    const wrongStore = await createTenantVectorStore({ backend: memoryBackend(), strategy: inlineStrategy, dimension: 2, embedder: wrong });
    await expect(wrongStore.forTenant('acme').query({ text: 'hi' })).rejects.toMatchObject({ code: 'DIMENSION_MISMATCH' });
  });

  it('refuses settings it cannot work with', () => {
    expect(() => customEmbedder({ dimension: 0, embed: async () => [] })).toThrow(ConfigurationError);
    expect(() => customEmbedder({ dimension: 3 } as never)).toThrow(ConfigurationError);
  });
});
