import { dirname } from 'node:path';
import { ConfigurationError, createTenantVectorStore, loadBackendDescriptor, readStoreConfig, settingsFromConfig, type BackendDescription, type StrategyRecommendation, type TenantVectorStore, type TenantVectorStoreSettings, type VectorBackend } from '@tenantvec/core';
import { describeBackendLine, type BackendDescriptor, type RecordLimit } from '@tenantvec/core/backend';
import type { CommandIo } from './command-io.js';
import { readOnlyBackend } from './read-only-backend.js';
import { strategySwitchWarning } from './strategy-switch-warning.js';

export function descriptionOf(backend: VectorBackend): BackendDescription {
  return backend.describe?.() ?? { kind: backend.name };
}

export interface PrepareStoreParams {
  file: string;
  io: CommandIo;
  /**
   * Open without migrating or creating anything: Postgres (pgvector, pglite) through its own
   * read-only mode, which also checks the schema is there; any other backend behind a wrapper
   * that creates nothing and refuses writes.
   */
  readOnly?: boolean;
}

/** A store's settings resolved and its backend made (no I/O yet), and where it is. */
export interface PreparedStore {
  settings: TenantVectorStoreSettings;
  recommendation?: StrategyRecommendation;
  description: BackendDescription;
  /** The store size past which its backend is the wrong choice, where the backend has one (embedded Postgres). */
  recordLimit?: RecordLimit;
  /** `FILE: pgvector 127.0.0.1:5432/app`: which store a command touches, before it touches it. */
  location: string;
}

/** Reads a config file and refuses one that is empty or not a mapping before anything connects. */
async function readConfigObject(file: string): Promise<{ backend?: { type?: unknown; package?: unknown } }> {
  const config = await readStoreConfig(file);
  if (config === null || config === undefined || (typeof config === 'string' && config.trim() === '')) {
    throw new ConfigurationError(`Config file ${file} is empty: it needs backend, strategy and dimension.`);
  }
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigurationError(`Config file ${file} must hold a mapping (backend, strategy, dimension), not ${Array.isArray(config) ? 'a list' : `a ${typeof config}`}.`);
  }
  if (Object.keys(config).length === 0) throw new ConfigurationError(`Config file ${file} is empty: it needs backend, strategy and dimension.`);
  return config as { backend?: { type?: unknown; package?: unknown } };
}

/**
 * The configured backend's descriptor: whether it opens read-only natively, and its record limit.
 * Undefined when the config names no type; the config schema then says what is missing.
 */
async function descriptorOf(backend: { type?: unknown; package?: unknown } | undefined, directory: string): Promise<BackendDescriptor | undefined> {
  const { type, package: packageName } = backend ?? {};
  if (typeof type !== 'string' || (packageName !== undefined && typeof packageName !== 'string')) return undefined;
  return loadBackendDescriptor({ type, ...(packageName === undefined ? {} : { package: packageName }), directories: [directory, process.cwd()] });
}

export async function prepareStore(params: PrepareStoreParams): Promise<PreparedStore> {
  // Always through settingsFromConfig: a file is a plain config even when its backend is missing,
  // and the schema then names the missing field instead of a contract version.
  const config = await readConfigObject(params.file);
  const directory = dirname(params.file);
  const descriptor = await descriptorOf(config.backend, directory);
  // The backend's own settings take `readOnly: true` (Postgres does): no wrapper needed.
  const nativeReadOnly = params.readOnly === true && descriptor?.readOnlySetting === true;
  const recordLimit = descriptor?.decision.profile({}).recordLimit;
  const opened = nativeReadOnly ? { ...config, backend: { ...config.backend, readOnly: true } } : config;
  const resolved = await settingsFromConfig(opened, { environment: params.io.environment, directory });
  const wrapped = params.readOnly === true && !nativeReadOnly;
  const settings = wrapped ? { ...resolved.settings, backend: readOnlyBackend(resolved.settings.backend) } : resolved.settings;
  const { recommendation } = resolved;
  const description = descriptionOf(settings.backend);
  return {
    settings,
    ...(recommendation === undefined ? {} : { recommendation }),
    ...(recordLimit === undefined ? {} : { recordLimit }),
    description,
    location: `${params.file}: ${describeBackendLine(description)}`,
  };
}

/**
 * Opens a prepared store. Commands print its location first: a config that reaches a database
 * other than the one meant is seen on the first line, not after the damage.
 */
export async function openPrepared({ settings, recommendation }: PreparedStore): Promise<TenantVectorStore> {
  let store: TenantVectorStore;
  try {
    store = await createTenantVectorStore(settings);
  } catch (error) {
    await settings.backend.close();
    throw error;
  }
  return recommendation === undefined ? store : Object.freeze({ ...store, recommendation });
}

/**
 * Runs `use` with an open store and closes it whatever happens; its location is the command's
 * first line (on stderr with `--json`, so stdout stays one JSON document). Warns on stderr when
 * the config's strategy sees no tenant while the backend holds another strategy's collections:
 * the strategy was switched over existing data, and this command would not see that data.
 */
export async function withDescribedStore<T>(file: string, io: CommandIo, json: boolean, use: (store: TenantVectorStore, backend: VectorBackend) => Promise<T>): Promise<T> {
  const prepared = await prepareStore({ file, io });
  (json ? io.stderr : io.stdout)(`${prepared.location}\n`);
  const store = await openPrepared(prepared);
  try {
    const warning = await strategySwitchWarning({ store, backend: prepared.settings.backend, name: prepared.settings.name ?? 'tenantvec' });
    if (warning !== undefined) io.stderr(`tenantvec: warning: ${warning}\n`);
    return await use(store, prepared.settings.backend);
  } finally {
    await store.close();
  }
}
