import type { Pinecone } from '@pinecone-database/pinecone';
import { InvalidSettingsError, objectWith, parseSettings, retrySettingsSchema, settingsProblemsOf, type BackendDescription, type RetrySettings } from '@tenantvec/core/backend';
import { pineconeIndexCaps, pineconeNamespaceCaps, pineconePlans, type PineconePlan } from './pinecone-plans.js';
import { z } from 'zod';

export type Consistency = 'read-your-writes' | 'eventual';

/** Settings of {@link pinecone}. Give a ready `client`, or an `apiKey` (falling back to `PINECONE_API_KEY`). */
export interface PineconeBackendSettings {
  /** A configured client; when given, `apiKey` and `controllerHostUrl` are not read. */
  client?: Pinecone;
  /**
   * The project's API key.
   * @default process.env.PINECONE_API_KEY
   */
  apiKey?: string;
  /**
   * The control plane's URL; an `http://` URL (a local emulator) makes index hosts plain HTTP too.
   * @default process.env.PINECONE_CONTROLLER_HOST, else Pinecone's own
   */
  controllerHostUrl?: string;
  /**
   * Keep every collection in this one existing index instead of an index per collection: a
   * shared collection becomes a namespace named after it, a partition the namespace
   * `<collection>.<partition>`. collection-per-tenant is then unavailable (it needs indexes), and
   * the index's dimension and metric must be the store's.
   * @default undefined (an index per collection)
   */
  indexName?: string;
  /** Like `indexName`, naming the index by its host (no control-plane call is made for it). */
  indexHost?: string;
  /**
   * Where new serverless indexes live.
   * @default 'aws'
   */
  cloud?: 'aws' | 'gcp' | 'azure';
  /** @default 'us-east-1' */
  region?: string;
  /**
   * The project's plan; sets `maxIndexes` and `maxNamespaces` to its published caps
   * (indexes 5 / 10 / 20 / 200, namespaces 100 / 1,000 / 100,000 / 100,000) unless those are given.
   * @default undefined (no caps checked before Pinecone answers)
   */
  plan?: PineconePlan;
  /**
   * Serverless indexes the project may hold (5 Starter, 10 Builder, 20 Standard, 200 Enterprise).
   * When set, creating an index past it is refused before any request; Pinecone's own
   * `403` is reported the same way either way.
   * @default undefined (only Pinecone's answer counts)
   */
  maxIndexes?: number;
  /**
   * Namespaces per index on the project's plan (100 Starter, 1,000 Builder, 100,000 Standard);
   * `ensurePartition` refuses a new tenant namespace past it.
   * @default undefined (not checked)
   */
  maxNamespaces?: number;
  /**
   * Most records per upsert request (Pinecone: 1,000); the store splits larger batches.
   * @default 1000
   */
  maxBatchSize?: number;
  /**
   * Largest upsert request body; batches are split further to stay below it (Pinecone: 2 MB).
   * @default 2000000
   */
  maxRequestBytes?: number;
  /**
   * Pinecone is eventually consistent. With `read-your-writes`, every write waits until a read
   * sees it (fetch by id after upserts and id deletes, fetch-by-metadata after filter deletes),
   * so the next call of the same process sees it. `eventual` skips the wait.
   * @default 'read-your-writes'
   */
  consistency?: Consistency;
  /**
   * How long a write waits to become visible before failing with a retryable error.
   * @default 15000
   */
  freshnessTimeoutMs?: number;
  /** Backoff for 429, 5xx and lost connections. @default { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 5000 } */
  retry?: RetrySettings;
  /**
   * The text length (in terms) keyword weights are normalised by, in place of BM25's measured
   * average: Pinecone keeps no statistics, so each record's sparse values are fixed when it is
   * written. Set it near your records' typical length, once: a dotproduct index the backend creates
   * keeps the value in its tags, and a backend set to another one is refused before writing to it
   * or searching it (the one configured index of `indexName`/`indexHost` carries no such tag).
   * @default 300 (about one chunk of core's default splitter)
   */
  keywordAverageLength?: number;
}

/** The caps of a Pinecone plan, the same table the decision helper reads. */
function planCaps(plan: PineconePlan): Pick<PineconeBackendSettings, 'maxIndexes' | 'maxNamespaces'> {
  return { maxIndexes: pineconeIndexCaps[plan], maxNamespaces: pineconeNamespaceCaps[plan] };
}

const positive = z.number().int().min(1);

/** One line per setting; the retry fields are checked as strictly. */
export const pineconeSettingsSchema = z.strictObject({
  client: objectWith<Pinecone>('a Pinecone client', ['index']).optional(),
  apiKey: z.string().optional(),
  controllerHostUrl: z.string().regex(/^https?:\/\//, 'must be a URL starting with http:// or https://').optional(),
  indexName: z.string().min(1, 'must be an index name').optional(),
  indexHost: z.string().min(1, 'must be an index host').optional(),
  cloud: z.enum(['aws', 'gcp', 'azure']).optional(),
  region: z.string().min(1, 'must be a region').optional(),
  plan: z.enum(pineconePlans as [PineconePlan, ...PineconePlan[]]).optional(),
  maxIndexes: z.number().int().min(0).optional(),
  maxNamespaces: z.number().int().min(0).optional(),
  maxBatchSize: positive.optional(),
  maxRequestBytes: positive.optional(),
  consistency: z.enum(['read-your-writes', 'eventual']).optional(),
  freshnessTimeoutMs: positive.optional(),
  retry: retrySettingsSchema.optional(),
  keywordAverageLength: z.number().int().min(1).max(100_000).optional(),
});

/** Where the data is, for `describe()`: the index or the control plane, never the API key. */
export function describePinecone(settings: PineconeBackendSettings, controllerHostUrl: string): BackendDescription {
  const url = settings.indexHost ?? (controllerHostUrl === '' ? 'https://api.pinecone.io' : controllerHostUrl);
  return {
    kind: 'pinecone',
    url,
    ...(settings.indexName === undefined ? {} : { database: settings.indexName }),
    ...(settings.client === undefined ? {} : { detail: 'a client handed in' }),
  };
}

/**
 * Checks settings (they can come from a config file: a misspelt key must fail loudly, naming the
 * key only) and fills the caps of `plan` where they were not given.
 */
export function resolveSettings(input: PineconeBackendSettings): PineconeBackendSettings {
  const settings = parseWithRenames(input);
  if (settings.plan === undefined) return settings;
  const given = Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined));
  return { ...planCaps(settings.plan), ...given };
}

/** Settings renamed before 1.0, with their new names: too far apart for the did-you-mean to find. */
const renamed: Readonly<Record<string, string>> = { 'retry.attempts': 'maxAttempts' };

/** `parseSettings`, with the did-you-mean of a renamed setting naming what it became. */
function parseWithRenames(input: PineconeBackendSettings): PineconeBackendSettings {
  try {
    return parseSettings({ schema: pineconeSettingsSchema, settings: input, root: 'pinecone' }) as PineconeBackendSettings;
  } catch (error) {
    const problems = settingsProblemsOf(error);
    if (problems === undefined) throw error;
    throw new InvalidSettingsError('pinecone', problems.map((problem) => {
      const newName = renamed[problem.path.join('.')];
      return newName === undefined ? problem : { ...problem, message: `unknown setting; did you mean ${newName}?` };
    }));
  }
}
