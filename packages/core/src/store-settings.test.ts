import { describe, expect, it } from 'vitest';
import type { IsolationStrategy } from './isolation-strategy.js';
import { memoryBackend } from './memory/memory-backend.js';
import { createTenantVectorStore } from './tenant-vector-store.js';

describe('createTenantVectorStore settings', () => {
  it('refuses a misspelt setting with its name and the one meant, before touching the backend or the strategy', async () => {
    const backend = memoryBackend();
    const untouchable = new Proxy({}, { get: () => { throw new Error('the strategy was used'); } }) as IsolationStrategy;
    const settings = { backend, strategy: untouchable, dimension: 4, maxBatchSze: 10 };
    await expect(createTenantVectorStore(settings as never)).rejects.toMatchObject({
      code: 'CONFIGURATION',
      message: 'Invalid createTenantVectorStore settings: createTenantVectorStore.maxBatchSze: unknown setting; did you mean maxBatchSize?',
    });
    expect(await backend.listCollections({ prefix: '' })).toEqual([]);
  });

  it('refuses a misspelt or mistyped keyword setting instead of keeping the default', async () => {
    const backend = memoryBackend();
    const strategy = { contractVersion: 1 } as unknown as IsolationStrategy;
    for (const keyword of [{ shareStatistics: true }, { shareTermStatisticsAcrossTenants: 'yes' }]) {
      await expect(createTenantVectorStore({ backend, strategy, dimension: 4, keyword } as never)).rejects.toMatchObject({
        code: 'CONFIGURATION',
        message: expect.stringContaining('keyword.'),
      });
    }
  });
});
