import { execFile } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { ConfigurationError, createTenantVectorStore, readStoreConfig, type TenantVecError } from '@tenantvec/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { outsideApplication } from './outside-package-fixture.js';

const cli = fileURLToPath(new URL('../bin/tenantvec.js', import.meta.url));
const store = { strategy: { type: 'metadata-filter' }, dimension: 3 };
let app: string;

beforeAll(async () => {
  app = await outsideApplication();
});

/** A config file in the application's folder, read back as the CLI and users read it. */
async function configIn(name: string, backend: Record<string, unknown>, strategy: unknown = store.strategy): Promise<{ file: string; config: unknown }> {
  const file = join(app, name);
  await writeFile(file, JSON.stringify({ ...store, strategy, backend }));
  return { file, config: await readStoreConfig(file) };
}

async function configError(backend: Record<string, unknown>): Promise<TenantVecError> {
  const { config } = await configIn('broken.json', backend);
  const error = await createTenantVectorStore(config as never, { directory: app }).then(() => undefined, (caught: unknown) => caught);
  expect(ConfigurationError.isInstance(error)).toBe(true);
  return error as TenantVecError;
}

describe('a backend from a package outside the workspace, named by a plain config', () => {
  it('resolves from the config file’s folder and round-trips records, by package name or by { type, package }', async () => {
    for (const backend of [{ type: '@acme/tenantvec-echo' }, { type: 'echo', package: '@acme/tenantvec-echo', maxTopK: 50 }]) {
      const { config } = await configIn('store.json', backend);
      const opened = await createTenantVectorStore(config as never, { directory: app });
      expect(opened.backend).toBe('echo');
      await opened.forTenant('acme').upsert([{ id: 'a', vector: [1, 0, 0], metadata: { kind: 'doc' } }, { id: 'b', vector: [0, 1, 0] }]);
      await opened.forTenant('globex').upsert([{ id: 'a', vector: [1, 0, 0] }]);
      expect((await opened.forTenant('acme').query({ vector: [1, 0, 0], topK: 5 })).map((hit) => hit.id)).toEqual(['a', 'b']);
      expect(await opened.forTenant('globex').count()).toBe(1);
      await opened.close();
    }
  });

  it('does not find the package from core’s own install: without the application folder it is missing', async () => {
    const { config } = await configIn('store.json', { type: '@acme/tenantvec-echo' });
    const error = await createTenantVectorStore(config as never).then(() => undefined, (caught: unknown) => caught as Error);
    expect(error?.message).toMatch(/needs the package @acme\/tenantvec-echo, which is not installed: npm install @acme\/tenantvec-echo/);
  });

  it('decides strategy auto by the package’s own limits', async () => {
    const { config } = await configIn('auto.json', { type: '@acme/tenantvec-echo' }, { type: 'auto', tenants: { expected: 10 } });
    const opened = await createTenantVectorStore(config as never, { directory: app });
    expect(opened.strategy).toBe('namespace-per-tenant');
    expect(opened.recommendation?.thresholds).toContainEqual({ name: 'collection preferred below', value: 4, source: 'https://echo.example/limits' });
    await opened.close();
  });

  it('is what the CLI opens from the application folder (inspect)', async () => {
    await configIn('store.json', { type: 'echo', package: '@acme/tenantvec-echo' });
    const { stdout } = await promisify(execFile)(process.execPath, [cli, 'inspect', '--config', 'store.json'], { cwd: app });
    expect(stdout).toMatch(/^store\.json: echo in memory\n/);
    expect(stdout).toMatch(/metadata-filter on echo, 3 dimensions/);
  });

  it('is refused with a typed error when the package is missing, lists no descriptor, or lists another version', async () => {
    expect((await configError({ type: 'chroma', package: '@acme/absent' })).message).toBe(
      'config.backend.type "chroma" needs the package @acme/absent, which is not installed: npm install @acme/absent',
    );
    expect((await configError({ type: '@acme/no-descriptor' })).message).toMatch(/^@acme\/no-descriptor exports no backendDescriptors: it is not a tenantvec backend package/);
    expect((await configError({ type: '@acme/future-descriptor' })).message).toMatch(/lists a backend descriptor of version 2; this @tenantvec\/core reads version 1/);
    expect((await configError({ type: 'other', package: '@acme/tenantvec-echo' })).message).toBe('@acme/tenantvec-echo has no backend of type "other"; it has echo.');
  });

  it("checks its settings by the package's strict schema: did-you-mean, the config's path, no value echoed", async () => {
    const secret = 'sk-live-outside-0123';
    const error = await configError({ type: '@acme/tenantvec-echo', maxTopk: 5, apiKey: 42, token: secret });
    expect(error.message).toMatch(/^Invalid store config: /);
    expect(error.message).toMatch(/config\.backend\.maxTopk: unknown setting; did you mean maxTopK\?/);
    expect(error.message).toMatch(/config\.backend\.apiKey: /);
    expect(error.message).toMatch(/config\.backend\.token: unknown setting/);
    expect(error.message).not.toContain(secret);
    expect(error.message).not.toContain('42');
  });
});
