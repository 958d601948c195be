import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { descriptorsOf, type BackendDescriptor } from '../backend-descriptor.js';
import { ConfigurationError } from '../errors.js';
import { memoryBackendDescriptor } from '../memory/memory-descriptor.js';

/** Where each configured strategy's and embedder's factory lives (tenantvec's own packages). */
const factoryPackages = {
  strategy: {
    'collection-per-tenant': { packageName: '@tenantvec/collection-per-tenant', factory: 'collectionPerTenant' },
    'namespace-per-tenant': { packageName: '@tenantvec/namespace-per-tenant', factory: 'namespacePerTenant' },
    'metadata-filter': { packageName: '@tenantvec/metadata-filter', factory: 'metadataFilter' },
    'source-prefix': { packageName: '@tenantvec/source-prefix', factory: 'sourcePrefix' },
  },
  embedder: {
    openai: { packageName: '@tenantvec/openai', factory: 'openaiEmbedder' },
  },
} as const;

export type ImportModule = (packageName: string) => Promise<Record<string, unknown>>;

/** A package name rather than a bare type: `@acme/tenantvec-chroma`, `tenantvec-chroma/x`. */
const packageNamePattern = /^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i;
const bareTypePattern = /^[a-z][a-z0-9-]*$/;

/** The `@tenantvec` package in reach of `directories` that declares `type` in its manifest. */
function declaringPackage(type: string, directories: readonly string[]): string | undefined {
  for (const directory of directories) {
    for (let current = resolve(directory); ; current = dirname(current)) {
      const scope = join(current, 'node_modules', '@tenantvec');
      for (const name of existsSync(scope) ? readdirSync(scope) : []) {
        const manifestPath = join(scope, name, 'package.json');
        if (!existsSync(manifestPath)) continue;
        const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { tenantvec?: { backendTypes?: unknown } };
        const declared = manifest.tenantvec?.backendTypes;
        if (Array.isArray(declared) && declared.includes(type)) return `@tenantvec/${name}`;
      }
      if (dirname(current) === current) break;
    }
  }
  return undefined;
}

/**
 * The rule a config's backend follows: `type: qdrant` is the `qdrant` descriptor of
 * `@tenantvec/qdrant`, or of the `@tenantvec` package that lists `qdrant` in its manifest's
 * `tenantvec.backendTypes` (one package may hold several types: pgvector holds pglite);
 * `{ type: chroma, package: '@acme/tenantvec-chroma' }` is the `chroma` descriptor of that
 * package; `type: '@acme/tenantvec-chroma'` that package's only descriptor.
 */
export function backendPackageOf(
  params: { type: string; package?: string },
  directories: readonly string[] = [process.cwd()],
): { packageName: string; type?: string } {
  if (params.package !== undefined) return { packageName: params.package, type: params.type };
  if (bareTypePattern.test(params.type)) {
    const packageName = `@tenantvec/${params.type}`;
    const found = directories.some((directory) => findPackage(packageName, directory) !== undefined);
    return { packageName: found ? packageName : (declaringPackage(params.type, directories) ?? packageName), type: params.type };
  }
  if (packageNamePattern.test(params.type) && params.type.includes('/')) return { packageName: params.type };
  throw new ConfigurationError('config.backend.type must be a backend type (lowercase letters, digits and -) or a package name (@scope/name).');
}

/** The entry an ESM `import` of a package reaches, read from its manifest. */
function importEntryOf(packageDirectory: string): string {
  const manifest = JSON.parse(readFileSync(join(packageDirectory, 'package.json'), 'utf8')) as { exports?: unknown; module?: string; main?: string };
  const pick = (target: unknown): string | undefined => {
    if (typeof target === 'string') return target;
    if (target === null || typeof target !== 'object' || Array.isArray(target)) return undefined;
    const conditions = target as Record<string, unknown>;
    for (const condition of ['import', 'node', 'default']) {
      const chosen = pick(conditions[condition]);
      if (chosen !== undefined) return chosen;
    }
    return undefined;
  };
  const exportsField = manifest.exports as Record<string, unknown> | string | undefined;
  const root = typeof exportsField === 'object' && exportsField !== null && '.' in exportsField ? exportsField['.'] : exportsField;
  return join(packageDirectory, pick(root) ?? manifest.module ?? manifest.main ?? 'index.js');
}

/** The package's folder as Node would find it from `directory`: the nearest node_modules up. */
function findPackage(packageName: string, directory: string): string | undefined {
  for (let current = resolve(directory); ; current = dirname(current)) {
    const candidate = join(current, 'node_modules', packageName);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    if (dirname(current) === current) return undefined;
  }
}

function missingPackage(packageName: string): Error {
  return Object.assign(new Error(`Cannot find package '${packageName}'`), { code: 'ERR_MODULE_NOT_FOUND' });
}

/**
 * Imports packages as the application sees them: from the given folders (the config file's,
 * then the working directory), and only then from core's own install, where tenantvec's
 * packages sit beside core. A user's backend package is the application's dependency, not core's.
 */
export function importFromApplication(directories: readonly string[] = [process.cwd()]): ImportModule {
  return async (packageName) => {
    for (const directory of directories) {
      const found = findPackage(packageName, directory);
      if (found !== undefined) return (await import(pathToFileURL(importEntryOf(found)).href)) as Record<string, unknown>;
    }
    if (!packageName.startsWith('@tenantvec/')) throw missingPackage(packageName);
    return (await import(packageName)) as Record<string, unknown>;
  };
}

function isMissingPackage(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && (message ?? '').includes(packageName);
}

async function importPackage(where: string, packageName: string, importModule: ImportModule): Promise<Record<string, unknown>> {
  try {
    return await importModule(packageName);
  } catch (error) {
    if (isMissingPackage(error, packageName)) {
      throw new ConfigurationError(`${where} needs the package ${packageName}, which is not installed: npm install ${packageName}`, { cause: error });
    }
    throw error;
  }
}

export interface LoadBackendDescriptorParams {
  /** A backend type (`qdrant`), or a package name whose only descriptor is meant. */
  type: string;
  /** The package that exports the descriptor, when it is not `@tenantvec/<type>`. */
  package?: string;
  /** Where packages resolve from, the application's folders. @default [process.cwd()] */
  directories?: readonly string[];
  /** How packages are loaded. @default importFromApplication(directories) */
  importModule?: ImportModule;
}

/** Finds a backend's descriptor by the config rule (see `backendPackageOf`); `memory` is built in. */
export async function loadBackendDescriptor(params: LoadBackendDescriptorParams): Promise<BackendDescriptor> {
  if (params.type === 'memory' && params.package === undefined) return memoryBackendDescriptor;
  const directories = params.directories ?? [process.cwd()];
  const { packageName, type } = backendPackageOf(params, directories);
  const where = `config.backend.type ${JSON.stringify(params.type)}`;
  const descriptors = descriptorsOf(await importPackage(where, packageName, params.importModule ?? importFromApplication(directories)), packageName);
  if (type === undefined) {
    if (descriptors.length === 1) return descriptors[0]!;
    throw new ConfigurationError(`${packageName} has several backends (${descriptors.map((entry) => entry.type).join(', ')}): name one with { type, package }.`);
  }
  const descriptor = descriptors.find((entry) => entry.type === type);
  if (descriptor === undefined) throw new ConfigurationError(`${packageName} has no backend of type ${JSON.stringify(type)}; it has ${descriptors.map((entry) => entry.type).join(', ')}.`);
  return descriptor;
}

/** Loads a strategy's or embedder's factory by configured type, with an install hint when its package is missing. */
export async function loadFactory<F>(kind: keyof typeof factoryPackages, type: string, importModule: ImportModule): Promise<F> {
  const entry = (factoryPackages[kind] as Record<string, { packageName: string; factory: string }>)[type];
  if (entry === undefined) throw new ConfigurationError(`config.${kind}.type ${JSON.stringify(type)} has no adapter package.`);
  const loaded = await importPackage(`config.${kind}.type ${JSON.stringify(type)}`, entry.packageName, importModule);
  const factory = loaded[entry.factory];
  if (typeof factory !== 'function') {
    throw new ConfigurationError(`${entry.packageName} does not export ${entry.factory}(); is its version compatible with @tenantvec/core?`);
  }
  return factory as F;
}
