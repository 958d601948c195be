import { ConfigurationError } from '../errors.js';

/** Where each configured type's factory lives. Built-in types need no package. */
export const adapterPackages = {
  backend: {
    pglite: { packageName: '@tenantvec/pgvector', factory: 'pglite' },
    pgvector: { packageName: '@tenantvec/pgvector', factory: 'pgvector' },
    qdrant: { packageName: '@tenantvec/qdrant', factory: 'qdrant' },
    pinecone: { packageName: '@tenantvec/pinecone', factory: 'pinecone' },
    weaviate: { packageName: '@tenantvec/weaviate', factory: 'weaviate' },
  },
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

export const importFromNodeModules: ImportModule = (packageName) => import(packageName) as Promise<Record<string, unknown>>;

function isMissingPackage(error: unknown, packageName: string): boolean {
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  return (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && (message ?? '').includes(packageName);
}

/** Loads a factory by configured type, with an install hint when its package is missing. */
export async function loadFactory<F>(
  kind: keyof typeof adapterPackages,
  type: string,
  importModule: ImportModule,
): Promise<F> {
  const entry = (adapterPackages[kind] as Record<string, { packageName: string; factory: string }>)[type];
  if (entry === undefined) throw new ConfigurationError(`config.${kind}.type ${JSON.stringify(type)} has no adapter package.`);
  let loaded: Record<string, unknown>;
  try {
    loaded = await importModule(entry.packageName);
  } catch (error) {
    if (isMissingPackage(error, entry.packageName)) {
      throw new ConfigurationError(
        `config.${kind}.type ${JSON.stringify(type)} needs the package ${entry.packageName}, which is not installed: npm install ${entry.packageName}`,
        { cause: error },
      );
    }
    throw error;
  }
  const factory = loaded[entry.factory];
  if (typeof factory !== 'function') {
    throw new ConfigurationError(`${entry.packageName} does not export ${entry.factory}(); is its version compatible with @tenantvec/core?`);
  }
  return factory as F;
}
