import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantVectorStore } from '@tenantvec/core';
import { startPineconeEmulator, type PineconeEmulator } from '@tenantvec/emulators/pinecone';

/** A plain config (what a JSON or YAML file holds) reaches this package's factory by name. */
let emulator: PineconeEmulator;
beforeAll(async () => {
  emulator = await startPineconeEmulator();
});
afterAll(() => emulator.stop());

describe('pinecone from a plain config', () => {
  it('builds a working store, the key coming from the environment', async () => {
    const store = await createTenantVectorStore(
      {
        backend: { type: 'pinecone', apiKey: '${TEST_PINECONE_KEY}', controllerHostUrl: emulator.controllerHostUrl, plan: 'starter' },
        strategy: { type: 'namespace-per-tenant' },
        dimension: 4,
        name: 'from_config',
      },
      { environment: { TEST_PINECONE_KEY: emulator.apiKey } },
    );
    await store.forTenant('acme').upsert([{ id: 'a', vector: [1, 0, 0, 0] }]);
    expect((await store.forTenant('acme').query({ vector: [1, 0, 0, 0] })).map((hit) => hit.id)).toEqual(['a']);
    expect((await store.listTenants()).tenants).toEqual(['acme']);
    await store.close();
  });

  it('refuses a misspelt setting, naming the key and not the values', async () => {
    const error = await createTenantVectorStore({
      backend: { type: 'pinecone', apiKey: 'secret-value', controllerHostUrl: emulator.controllerHostUrl, maxIndexs: 3 },
      strategy: { type: 'metadata-filter' },
      dimension: 4,
    }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'CONFIGURATION' });
    expect((error as Error).message).toContain('maxIndexs');
    expect((error as Error).message).not.toContain('secret-value');
  });
});
