import type { z } from 'zod';
import { recommendStrategy, type StrategyRecommendation } from '../decision/recommend-strategy.js';
import type { Embedder } from '../embedder.js';
import { ConfigurationError } from '../errors.js';
import type { IsolationStrategy } from '../isolation-strategy.js';
import type { StoreHooks } from '../operation-hooks.js';
import { localEmbedder } from '../local-embedder.js';
import type { TenantVectorStoreSettings } from '../tenant-vector-store.js';
import type { VectorBackend } from '../vector-backend.js';
import type { BackendDescriptor } from '../backend-descriptor.js';
import { importFromApplication, loadBackendDescriptor, loadFactory, type ImportModule } from './load-adapter.js';
import { storeConfigSchema } from './store-config-schema.js';
import { substituteEnvironment } from './substitute-environment.js';
import { parseSettings, renderProblems, sentence, settingsProblemsOf } from '../settings/strict-settings.js';

export interface ConfigOptions {
  /** Where `${NAME}` references are looked up. @default process.env */
  environment?: Record<string, string | undefined>;
  /**
   * Where the config file is: adapter packages resolve from there, then from the working
   * directory, as the application's own dependencies. @default process.cwd()
   */
  directory?: string;
  /** How adapter packages are loaded; tests replace it. @default importFromApplication([directory, cwd]) */
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
  const directories = [...new Set([options.directory ?? process.cwd(), process.cwd()])];
  const importModule = options.importModule ?? importFromApplication(directories);
  const { backend: backendConfig, strategy: strategyConfig } = parsed.data;

  const descriptor = await loadBackendDescriptor({ type: backendConfig.type, ...(backendConfig.package === undefined ? {} : { package: backendConfig.package }), directories, importModule });
  const backend = await createBackend(descriptor, parsed.data.backend);
  let recommendation: StrategyRecommendation | undefined;
  let strategyType: string;
  if (strategyConfig.type === 'auto') {
    const { tenants, compliance, hierarchical, plan } = strategyConfig;
    recommendation = recommendStrategy({
      backend: descriptor,
      tenants: { count: tenants.expected, ...(tenants.median === undefined ? {} : { median: tenants.median }), ...(tenants.largest === undefined ? {} : { largest: tenants.largest }) },
      ...(compliance === undefined ? {} : { compliance }),
      ...(hierarchical === undefined ? {} : { hierarchical }),
      ...(plan === undefined ? {} : { plan }),
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
    ...(parsed.data.keyword === undefined ? {} : { keyword: parsed.data.keyword }),
  };
  return recommendation === undefined ? { settings } : { settings, recommendation };
}

/** Checks the settings beside `type` by the descriptor's strict schema, then makes the backend. */
async function createBackend(descriptor: BackendDescriptor, config: ParsedConfig['backend']): Promise<VectorBackend> {
  const { type: _type, package: _package, ...backendSettings } = config;
  return fromAdapter('backend', () => {
    parseSettings({ schema: descriptor.settingsSchema, settings: backendSettings, root: descriptor.type, ...(descriptor.misplacedSettings === undefined ? {} : { elsewhere: descriptor.misplacedSettings }) });
    return descriptor.create(backendSettings);
  });
}

async function createEmbedder(config: ParsedConfig, importModule: ImportModule): Promise<Embedder | undefined> {
  if (config.embedder === undefined) return undefined;
  const { type, ...embedderSettings } = config.embedder;
  if (type === 'local') return localEmbedder({ dimension: (embedderSettings as { dimension?: number }).dimension ?? config.dimension });
  const factory = await loadFactory<(settings: Record<string, unknown>) => Embedder>('embedder', type, importModule);
  return fromAdapter('embedder', () => factory(embedderSettings));
}
