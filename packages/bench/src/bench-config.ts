import { ConfigurationError, readStoreConfig, substituteEnvironment } from '@tenantvec/core';
import { parseDistribution, parseStrategies, type BenchSettings } from './bench-settings.js';
import { benchModes, type BenchMode } from './search-mode-results.js';

/** Keys of a store config that mean nothing to the bench, so a store's own config file works as is. */
const storeOnlyKeys = ['strategy', 'embedder', 'name', 'metric', 'maxBatchSize', 'maxMetadataBytes'];

const numberKeys = {
  tenants: 'tenants',
  vectors: 'records',
  dimension: 'dimension',
  queries: 'queries',
  topK: 'topK',
  seed: 'seed',
  batchSize: 'batchSize',
  onboardingSamples: 'onboardingSamples',
  offboardingSamples: 'offboardingSamples',
  leakProbes: 'leakProbes',
  overheadSamples: 'overheadSamples',
  warmupQueries: 'warmupQueries',
} as const;

export type BenchConfigSettings = Partial<BenchSettings> & { out?: string };

/**
 * Reads a bench config (`.json`, `.yaml`, `.yml`): `backend: { type, ...its settings }` as in a
 * store config, plus any of `mode`, `strategies` (`all` or a list), `tenants`, `vectors`, `dimension`,
 * `distribution`, `queries`, `topK`, `seed`, `input`, `out`, `batchSize` and the sample counts.
 * `${ENV}` references are substituted; errors name the key, never a value.
 */
export async function readBenchConfig(file: string, environment: Record<string, string | undefined>): Promise<BenchConfigSettings> {
  const raw = await readStoreConfig(file);
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ConfigurationError(`${file} must hold an object.`);
  const config = substituteEnvironment(raw as Record<string, unknown>, environment);
  const settings: BenchConfigSettings = {};
  for (const [key, value] of Object.entries(config)) {
    if (storeOnlyKeys.includes(key)) continue;
    if (key === 'backend') {
      const { type, ...backendSettings } = (value ?? {}) as Record<string, unknown>;
      if (typeof type !== 'string') throw new ConfigurationError(`${file}: backend.type must name a backend.`);
      settings.backend = type;
      settings.backendSettings = backendSettings;
    } else if (key === 'strategies') {
      const strategies = parseStrategies(Array.isArray(value) ? value.join(',') : String(value));
      if (strategies === undefined) throw new ConfigurationError(`${file}: strategies must be "all" or a list of strategy names.`);
      settings.strategies = strategies;
    } else if (key === 'distribution') {
      const distribution = parseDistribution(String(value));
      if (distribution === undefined) throw new ConfigurationError(`${file}: distribution must be "uniform", "zipf:S" with 0 < S ≤ 4, or "tiers:T%:R%,…" (each share above 0, each sum below 100).`);
      settings.distribution = distribution;
    } else if (key === 'mode') {
      if (!benchModes.includes(value as BenchMode)) throw new ConfigurationError(`${file}: mode must be one of ${benchModes.join(', ')}.`);
      settings.mode = value as BenchMode;
    } else if (key === 'input' || key === 'out') {
      if (typeof value !== 'string' || value === '') throw new ConfigurationError(`${file}: ${key} must be a file or folder path.`);
      settings[key] = value;
    } else if (key in numberKeys) {
      if (typeof value !== 'number' || !Number.isInteger(value)) throw new ConfigurationError(`${file}: ${key} must be a whole number.`);
      settings[numberKeys[key as keyof typeof numberKeys]] = value;
    } else {
      throw new ConfigurationError(`${file}: unknown key ${JSON.stringify(key)}.`);
    }
  }
  return settings;
}
