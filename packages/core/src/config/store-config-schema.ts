import { z } from 'zod';
import { metrics } from '../similarity.js';

/**
 * The plain, JSON-serialisable form of a store's settings: what lives in a config file or an
 * environment, so that switching strategy or backend is a config edit. Backend settings beside
 * `type` (and `package`) are checked by the backend descriptor's own schema.
 */

const strategyTypes = ['collection-per-tenant', 'namespace-per-tenant', 'metadata-filter', 'source-prefix'] as const;

/** `type` names a backend (`@tenantvec/<type>`, or the descriptor of that type in `package`). */
const backendConfig = z.looseObject({
  type: z.string().min(1, 'must name a backend type or package'),
  package: z.string().min(1, 'must be a package name').optional(),
});

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
  /** A service plan whose limits differ; the backend's descriptor lists its plans. */
  plan: z.string().min(1).optional(),
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
  keyword: z.strictObject({ shareTermStatisticsAcrossTenants: z.boolean().optional() }).optional(),
});

export type TenantVectorStoreConfig = z.input<typeof storeConfigSchema>;
