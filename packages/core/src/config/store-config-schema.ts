import { z } from 'zod';
import type { backendKinds} from '../decision/strategy-thresholds.js';
import { pineconePlans } from '../decision/strategy-thresholds.js';
import { metrics } from '../similarity.js';

/**
 * The plain, JSON-serialisable form of a store's settings: what lives in a config file or an
 * environment, so that switching strategy or backend is a config edit. Adapter settings beside
 * `type` pass through to the adapter's factory, which validates them itself.
 */

const strategyTypes = ['collection-per-tenant', 'namespace-per-tenant', 'metadata-filter', 'source-prefix'] as const;

export const backendConfigTypes = ['memory', 'pglite', 'pgvector', 'qdrant', 'pinecone', 'weaviate'] as const;

const backendConfig = z.looseObject({ type: z.enum(backendConfigTypes) });

const fixedStrategy = z.strictObject({ type: z.enum(strategyTypes) });

const autoStrategy = z.strictObject({
  type: z.literal('auto'),
  tenants: z.strictObject({
    expected: z.number().int().min(1),
    median: z.number().min(0).optional(),
    largest: z.number().min(0).optional(),
  }),
  compliance: z.union([z.enum(['standard', 'strict']), z.strictObject({ dedicated: z.array(z.string()) })]).optional(),
  hierarchical: z.boolean().optional(),
  plan: z.enum(pineconePlans).optional(),
});

const embedderConfig = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('local'), dimension: z.number().int().min(1).optional() }),
  z.looseObject({ type: z.literal('openai'), model: z.string().min(1) }),
]);

export const storeConfigSchema = z.strictObject({
  backend: backendConfig,
  strategy: z.union([fixedStrategy, autoStrategy]),
  dimension: z.number().int().min(1).max(16_000),
  metric: z.enum(metrics as [string, ...string[]]).optional(),
  embedder: embedderConfig.optional(),
  name: z.string().optional(),
  maxBatchSize: z.number().int().min(1).optional(),
  maxMetadataBytes: z.number().int().min(1).optional(),
});

export type TenantVectorStoreConfig = z.input<typeof storeConfigSchema>;

/** Which decision-helper backend a configured backend type is. */
export const backendKindOf: Record<(typeof backendConfigTypes)[number], (typeof backendKinds)[number]> = {
  memory: 'memory',
  pglite: 'pgvector',
  pgvector: 'pgvector',
  qdrant: 'qdrant',
  pinecone: 'pinecone',
  weaviate: 'weaviate',
};
