import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repository = fileURLToPath(new URL('../../..', import.meta.url));

/** The descriptor of an outside backend: the memory backend under another name, with its own limits. */
const echoPackage = `
import { memoryBackend } from '@tenantvec/core';
import { BACKEND_DESCRIPTOR_VERSION, baselineBands, sharedCeilings } from '@tenantvec/core/backend';
import { z } from 'zod';

const limits = 'https://echo.example/limits';
export const backendDescriptors = [{
  descriptorVersion: BACKEND_DESCRIPTOR_VERSION,
  type: 'echo',
  packageName: '@acme/tenantvec-echo',
  settingsSchema: z.strictObject({ maxTopK: z.number().int().min(1).optional(), apiKey: z.string().optional() }),
  create(settings) {
    const backend = memoryBackend(settings.maxTopK === undefined ? {} : { maxTopK: settings.maxTopK });
    Object.defineProperty(backend, 'name', { value: 'echo' });
    backend.describe = () => ({ kind: 'echo', inMemory: true });
    return backend;
  },
  decision: {
    profile: () => ({
      ceilings: { 'collection-per-tenant': { value: 4, source: limits }, 'namespace-per-tenant': { value: 50, source: limits }, ...sharedCeilings },
      collectionPreferredBelow: { value: 4, source: limits },
      namespacePreferredUpTo: baselineBands.namespaceUpTo,
      dedicatedAbove: { value: 1000, source: limits },
    }),
  },
}];
`;

async function writePackage(app: string, name: string, files: Record<string, string>): Promise<void> {
  const folder = join(app, 'node_modules', name);
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, 'package.json'), JSON.stringify({ name, version: '1.0.0', type: 'module', exports: { '.': { import: './index.js' } } }));
  for (const [file, text] of Object.entries(files)) await writeFile(join(folder, file), text);
}

/**
 * An application folder outside the workspace: its own node_modules with the outside backend
 * packages, and links to the built `@tenantvec/core` and `zod` they import, as an install has.
 */
export async function outsideApplication(): Promise<string> {
  const app = await mkdtemp(join(tmpdir(), 'tenantvec-outside-app-'));
  for (const linked of ['@tenantvec/core', 'zod']) {
    await mkdir(dirname(join(app, 'node_modules', linked)), { recursive: true });
    await symlink(join(repository, 'node_modules', linked), join(app, 'node_modules', linked), 'dir');
  }
  await writePackage(app, '@acme/tenantvec-echo', { 'index.js': echoPackage });
  await writePackage(app, '@acme/no-descriptor', { 'index.js': 'export const echo = () => {};\n' });
  await writePackage(app, '@acme/future-descriptor', {
    'index.js': "export const backendDescriptors = [{ descriptorVersion: 2, type: 'future' }];\n",
  });
  return app;
}
