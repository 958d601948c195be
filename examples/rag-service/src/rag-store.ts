import { ConfigurationError, createTenantVectorStore, type StoreHooks, type TenantVectorStore, type TenantVectorStoreConfig } from '@tenantvec/core';

/** The backends this service knows how to configure from its environment. */
const serviceBackends = ['pglite', 'memory', 'pgvector'] as const;
export type ServiceBackend = (typeof serviceBackends)[number];

export interface RagStoreChoice {
  config: TenantVectorStoreConfig;
  /** For pricing the tokens in the usage report. */
  embeddingModel: string;
  /** Where the config's `${NAME}` references are looked up. */
  environment: Record<string, string | undefined>;
  /** Where the vectors really live, for the start line: kind and place, never a password. */
  backend: { kind: ServiceBackend; location: string };
}

/** Host, port and database of a Postgres URL: what an operator needs to know, not the password. */
function postgresLocation(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
  } catch {
    throw new ConfigurationError('DATABASE_URL is not a valid postgres:// URL.');
  }
}

/**
 * OpenAI embeddings when a key is set, the offline local embedder otherwise; embedded Postgres
 * (PGlite, in memory: no server) unless TENANTVEC_BACKEND says `memory`, or `pgvector` with a
 * `DATABASE_URL`. A plain config, so the choice is data. Anything else is refused, so a typo
 * never lands the service on a database it did not ask for.
 */
export function chooseRagStore(environment: Record<string, string | undefined> = process.env): RagStoreChoice {
  const type = environment.TENANTVEC_BACKEND ?? 'pglite';
  if (!(serviceBackends as readonly string[]).includes(type)) {
    throw new ConfigurationError(`TENANTVEC_BACKEND must be one of ${serviceBackends.join(', ')}, got "${type}".`);
  }
  const kind = type as ServiceBackend;
  let backend: TenantVectorStoreConfig['backend'];
  let location: string;
  if (kind === 'pgvector') {
    const url = environment.DATABASE_URL;
    if (url === undefined || url.trim() === '') throw new ConfigurationError('TENANTVEC_BACKEND=pgvector needs DATABASE_URL (postgres://user@host:port/database).');
    backend = { type: 'pgvector', connectionString: '${DATABASE_URL}' };
    location = `postgres at ${postgresLocation(url)}`;
  } else {
    backend = { type: kind };
    location = kind === 'pglite' ? 'embedded Postgres (PGlite), in memory' : 'in this process';
  }
  const common = { backend, strategy: { type: 'metadata-filter' as const } };
  const described = { kind, location };
  if (environment.OPENAI_API_KEY !== undefined && environment.OPENAI_API_KEY !== '') {
    const model = environment.OPENAI_EMBEDDING_MODEL ?? 'text-embedding-3-small';
    return {
      config: {
        ...common,
        dimension: model === 'text-embedding-3-large' ? 3072 : 1536,
        // Substituted by core from the environment, never written into the config itself.
        embedder: {
          type: 'openai', model, apiKey: '${OPENAI_API_KEY}',
          ...(environment.OPENAI_BASE_URL === undefined ? {} : { baseURL: environment.OPENAI_BASE_URL }),
        },
      },
      embeddingModel: model,
      environment,
      backend: described,
    };
  }
  return { config: { ...common, dimension: 256, embedder: { type: 'local' } }, embeddingModel: 'local', environment, backend: described };
}

export function createRagStore(choice: RagStoreChoice, hooks: readonly StoreHooks[]): Promise<TenantVectorStore> {
  return createTenantVectorStore(choice.config, { hooks, environment: choice.environment });
}
