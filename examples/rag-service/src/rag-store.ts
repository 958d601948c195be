import { createTenantVectorStore, type StoreHooks, type TenantVectorStore, type TenantVectorStoreConfig } from '@tenantvec/core';

export interface RagStoreChoice {
  config: TenantVectorStoreConfig;
  /** For pricing the tokens in the usage report. */
  embeddingModel: string;
  /** Where the config's `${NAME}` references are looked up. */
  environment: Record<string, string | undefined>;
}

/**
 * OpenAI embeddings when a key is set, the offline local embedder otherwise; embedded Postgres
 * (PGlite, in memory: no server) unless TENANTVEC_BACKEND names another backend type, such as
 * `memory`, or `pgvector` with a `DATABASE_URL`. A plain config, so the choice is data.
 */
export function chooseRagStore(environment: Record<string, string | undefined> = process.env): RagStoreChoice {
  const type = (environment.TENANTVEC_BACKEND ?? 'pglite') as TenantVectorStoreConfig['backend']['type'];
  const backend = type === 'pgvector' ? { type, connectionString: '${DATABASE_URL}' } : { type };
  if (environment.OPENAI_API_KEY !== undefined && environment.OPENAI_API_KEY !== '') {
    const model = environment.OPENAI_EMBEDDING_MODEL ?? 'text-embedding-3-small';
    return {
      config: {
        backend,
        strategy: { type: 'metadata-filter' },
        dimension: model === 'text-embedding-3-large' ? 3072 : 1536,
        // Substituted by core from the environment, never written into the config itself.
        embedder: {
          type: 'openai', model, apiKey: '${OPENAI_API_KEY}',
          ...(environment.OPENAI_BASE_URL === undefined ? {} : { baseURL: environment.OPENAI_BASE_URL }),
        },
      },
      embeddingModel: model,
      environment,
    };
  }
  return { config: { backend, strategy: { type: 'metadata-filter' }, dimension: 256, embedder: { type: 'local' } }, embeddingModel: 'local', environment };
}

export function createRagStore(choice: RagStoreChoice, hooks: readonly StoreHooks[]): Promise<TenantVectorStore> {
  return createTenantVectorStore(choice.config, { hooks, environment: choice.environment });
}
