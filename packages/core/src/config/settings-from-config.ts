import type { z } from 'zod';
import { recommendStrategy, type StrategyRecommendation } from '../decision/recommend-strategy.js';
import type { Embedder } from '../embedder.js';
import { ConfigurationError } from '../errors.js';
import type { IsolationStrategy } from '../isolation-strategy.js';
import type { StoreHooks } from '../operation-hooks.js';
import { localEmbedder } from '../local-embedder.js';
import { memoryBackend } from '../memory/memory-backend.js';
import type { TenantVectorStoreSettings } from '../tenant-vector-store.js';
import type { VectorBackend } from '../vector-backend.js';
import { importFromNodeModules, loadFactory, type ImportModule } from './load-adapter.js';
import { backendKindOf, storeConfigSchema } from './store-config-schema.js';
import { substituteEnvironment } from './substitute-environment.js';
import { parseSettings, renderProblems, sentence, settingsProblemsOf } from '../settings/strict-settings.js';

export interface ConfigOptions {
  /** Where `${NAME}` references are looked up. @default process.env */
  environment?: Record<string, string | undefined>;
  /** How adapter packages are loaded; tests replace it. @default dynamic import */
  importModule?: ImportModule;
  /** Hooks cannot live in a JSON file: pass them here. */
  hooks?: readonly StoreHooks[];
}

type ParsedConfig = z.output<typeof storeConfigSchema>;

/** A config is plain when its backend is a `{ type }` description rather than a backend object. */
export function isPlainConfig(value: unknown): boolean {
  const backend = (value as { backend?: { type?: unknown; contractVersion?: unknown } } | null)?.backend;
  return typeof backend?.type === 'string' && backend.contractVersion === undefined;
}

/**
 * Runs an adapter's factory on the settings beside `type`, naming its problems from the config's
 * root: `config.backend.connectionStrng`, not the adapter's own `pgvector.connectionStrng`.
 */
async function fromAdapter<T>(where: 'backend' | 'embedder', create: () => T | Promise<T>): Promise<T> {
  try {
    return await create();
  } catch (error) {
    const problems = settingsProblemsOf(error);
    if (problems === undefined) throw error;
    throw new ConfigurationError(`Invalid store config: ${sentence(renderProblems(`config.${where}`, problems))}`, { cause: error });
  }
}

/**
 * Turns a plain config into store settings: substitutes `${ENV}` references, validates every
 * field (errors name the path, never a value), loads adapters by name, and resolves
 * `strategy: { type: 'auto' }` through `recommendStrategy`.
 */
export async function settingsFromConfig(
  config: unknown,
  options: ConfigOptions = {},
): Promise<{ settings: TenantVectorStoreSettings; recommendation?: StrategyRecommendation }> {
  const substituted = substituteEnvironment(config, options.environment ?? process.env);
  let parsed: { data: ParsedConfig };
  try {
    parsed = { data: parseSettings({ schema: storeConfigSchema, settings: substituted, root: 'config' }) };
  } catch (error) {
    const problems = settingsProblemsOf(error);
    throw problems === undefined ? error : new ConfigurationError(`Invalid store config: ${sentence(renderProblems('config', problems))}`);
  }
  const importModule = options.importModule ?? importFromNodeModules;
  const { backend: backendConfig, strategy: strategyConfig } = parsed.data;

  const backend = await createBackend(parsed.data, importModule);
  let recommendation: StrategyRecommendation | undefined;
  let strategyType: string;
  if (strategyConfig.type === 'auto') {
    const { tenants, compliance, hierarchical, plan } = strategyConfig;
    recommendation = recommendStrategy({
      backend: backendKindOf[backendConfig.type],
      tenants: { count: tenants.expected, ...(tenants.median === undefined ? {} : { median: tenants.median }), ...(tenants.largest === undefined ? {} : { largest: tenants.largest }) },
      ...(compliance === undefined ? {} : { compliance }),
      ...(hierarchical === undefined ? {} : { hierarchical }),
      ...(plan === undefined ? {} : { plan }),
      ...(backendConfig.type === 'pglite' ? { embedded: true } : {}),
    });
    strategyType = recommendation.strategy;
  } else {
    strategyType = strategyConfig.type;
  }
  const strategy = (await loadFactory<() => IsolationStrategy>('strategy', strategyType, importModule))();
  const embedder = await createEmbedder(parsed.data, importModule);

  const settings: TenantVectorStoreSettings = {
    backend,
    strategy,
    dimension: parsed.data.dimension,
    ...(parsed.data.metric === undefined ? {} : { metric: parsed.data.metric as TenantVectorStoreSettings['metric'] }),
    ...(embedder === undefined ? {} : { embedder }),
    ...(parsed.data.name === undefined ? {} : { name: parsed.data.name }),
    ...(parsed.data.maxBatchSize === undefined ? {} : { maxBatchSize: parsed.data.maxBatchSize }),
    ...(parsed.data.maxMetadataBytes === undefined ? {} : { maxMetadataBytes: parsed.data.maxMetadataBytes }),
    ...(options.hooks === undefined ? {} : { hooks: options.hooks }),
  };
  return recommendation === undefined ? { settings } : { settings, recommendation };
}

async function createBackend(config: ParsedConfig, importModule: ImportModule): Promise<VectorBackend> {
  const { type, ...backendSettings } = config.backend;
  if (type === 'memory') return fromAdapter('backend', () => memoryBackend(backendSettings as Parameters<typeof memoryBackend>[0]));
  const factory = await loadFactory<(settings: Record<string, unknown>) => VectorBackend | Promise<VectorBackend>>('backend', type, importModule);
  return fromAdapter('backend', () => factory(backendSettings));
}

async function createEmbedder(config: ParsedConfig, importModule: ImportModule): Promise<Embedder | undefined> {
  if (config.embedder === undefined) return undefined;
  const { type, ...embedderSettings } = config.embedder;
  if (type === 'local') return localEmbedder({ dimension: (embedderSettings as { dimension?: number }).dimension ?? config.dimension });
  const factory = await loadFactory<(settings: Record<string, unknown>) => Embedder>('embedder', type, importModule);
  return fromAdapter('embedder', () => factory(embedderSettings));
}
