import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TenantVecError } from '../errors.js';
import { ConfigurationError } from '../errors.js';
import { memoryBackendDescriptor } from '../memory/memory-descriptor.js';
import { createTenantVectorStore } from '../tenant-vector-store.js';
import { readStoreConfig } from './read-store-config.js';

const base = { backend: { type: 'memory' }, strategy: { type: 'metadata-filter' }, dimension: 3 } as const;

async function configError(config: unknown, environment: Record<string, string> = {}): Promise<TenantVecError> {
  try {
    await createTenantVectorStore(config as never, { environment });
  } catch (error) {
    expect(ConfigurationError.isInstance(error)).toBe(true);
    return error as TenantVecError;
  }
  throw new Error('expected a configuration error');
}

describe('store config', () => {
  it('builds a working store from a plain object, loading the strategy package by name', async () => {
    const store = await createTenantVectorStore({ ...base, metric: 'dot', embedder: { type: 'local' } });
    expect([store.strategy, store.backend, store.metric]).toEqual(['metadata-filter', 'memory', 'dot']);
    await store.forTenant('acme').upsert([{ id: 'a', text: 'hello world' }]);
    expect((await store.forTenant('acme').query({ text: 'hello' }))[0]!.id).toBe('a');
    expect(await store.forTenant('other').count()).toBe(0);
  });

  it('names the path of every bad field', async () => {
    const error = await configError({ ...base, dimension: 'three', strategy: { type: 'metadata-filtr' }, dimensions: 3 });
    expect(error.message).toMatch(/config\.dimension: /);
    expect(error.message).toMatch(/config\.strategy/);
    expect(error.message).toMatch('config.dimensions: unknown setting; did you mean dimension?');
    expect((await configError({ ...base, backend: { type: 'Mongo DB' } })).message).toMatch(/config\.backend\.type/);
  });

  it('substitutes ${ENV} references and never echoes a secret in an error', async () => {
    const secret = 'sk-live-0123456789';
    expect((await configError({ ...base, name: '${STORE_NAME}' })).message).toMatch(/config\.name refers to \$\{STORE_NAME\}, which is not set/);
    const wrongType = await configError({ ...base, dimension: '${TOKEN}' }, { TOKEN: secret });
    expect(wrongType.message).toMatch(/config\.dimension/);
    expect(wrongType.message).not.toContain(secret);
    const badName = await configError({ ...base, name: '${TOKEN}' }, { TOKEN: secret });
    expect(badName.message).not.toContain(secret);
    const store = await createTenantVectorStore({ ...base, name: '${STORE_NAME}' }, { environment: { STORE_NAME: 'from_env' } });
    expect(store.strategy).toBe('metadata-filter');
  });

  it("validates the backend's settings by the adapter's schema, named from the config's root", async () => {
    expect((await configError({ ...base, backend: { type: 'memory', maxTopk: 5 } })).message).toBe(
      'Invalid store config: config.backend.maxTopk: unknown setting; did you mean maxTopK?',
    );
    // An adapter loaded by name reports the same way.
    const loaded = await createTenantVectorStore({ ...base, backend: { type: 'qdrant', ulr: 'http://x' } }, {
      importModule: async () => ({ backendDescriptors: [{ ...memoryBackendDescriptor, type: 'qdrant' }] }),
    }).then(() => undefined, (caught: unknown) => caught as TenantVecError);
    expect(loaded?.message).toBe('Invalid store config: config.backend.ulr: unknown setting.');
    expect(loaded?.message).not.toContain('http://x');
  });

  it('says which package to install when an adapter is missing', async () => {
    const missing = Object.assign(new Error("Cannot find package '@tenantvec/qdrant' imported from x"), { code: 'ERR_MODULE_NOT_FOUND' });
    const error = await createTenantVectorStore({ ...base, backend: { type: 'qdrant', url: 'http://127.0.0.1:1' } }, {
      importModule: async () => {
        throw missing;
      },
    }).then(() => undefined, (caught: unknown) => caught as TenantVecError);
    expect(error?.message).toMatch(/needs the package @tenantvec\/qdrant, which is not installed: npm install @tenantvec\/qdrant/);
  });

  it('resolves strategy auto through the decision helper and reports the choice', async () => {
    const store = await createTenantVectorStore({ ...base, backend: { type: 'memory' }, strategy: { type: 'auto', tenants: { expected: 5_000 }, hierarchical: true } });
    expect(store.strategy).toBe('source-prefix');
    expect(store.recommendation?.strategy).toBe('source-prefix');
    expect(store.recommendation?.reasons.join(' ')).toMatch(/5,000 tenants/);
  });

  it('reads JSON and YAML files, and reports parse errors by position without quoting the file', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'tenantvec-config-'));
    await writeFile(join(folder, 'store.yaml'), 'backend:\n  type: memory\nstrategy:\n  type: namespace-per-tenant\ndimension: 3\n');
    await writeFile(join(folder, 'store.json'), JSON.stringify({ ...base, strategy: { type: 'collection-per-tenant' } }));
    await writeFile(join(folder, 'broken.json'), '{\n  "backend": { "apiKey": "sk-secret-value" ,, }\n}');
    await writeFile(join(folder, 'broken.yaml'), 'backend:\n  apiKey: "sk-secret-value\n  type: [memory\n');
    expect((await createTenantVectorStore((await readStoreConfig(join(folder, 'store.yaml'))) as never)).strategy).toBe('namespace-per-tenant');
    expect((await createTenantVectorStore((await readStoreConfig(join(folder, 'store.json'))) as never)).strategy).toBe('collection-per-tenant');
    for (const file of ['broken.json', 'broken.yaml']) {
      const error = (await readStoreConfig(join(folder, file)).then(() => undefined, (caught: unknown) => caught)) as Error;
      expect(error.message).toMatch(/is not valid (JSON|YAML)/);
      expect(error.message).not.toContain('sk-secret-value');
    }
    await expect(readStoreConfig(join(folder, 'store.toml'))).rejects.toThrow(/must end in .json, .yaml or .yml/);
    await expect(readStoreConfig(join(folder, 'absent.json'))).rejects.toThrow(/ENOENT/);
  });
});
