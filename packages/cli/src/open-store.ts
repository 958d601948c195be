import { ConfigurationError, createTenantVectorStore, readStoreConfig, settingsFromConfig, type TenantVectorStore } from '@tenantvec/core';
import type { CommandIo } from './command-io.js';
import { strategySwitchWarning } from './strategy-switch-warning.js';

/** Reads a config file and refuses one that is empty or not a mapping before anything connects. */
async function readConfigObject(file: string): Promise<Record<string, unknown>> {
  const config = await readStoreConfig(file);
  if (config === null || config === undefined || (typeof config === 'string' && config.trim() === '')) {
    throw new ConfigurationError(`Config file ${file} is empty: it needs backend, strategy and dimension.`);
  }
  if (typeof config !== 'object' || Array.isArray(config)) {
    throw new ConfigurationError(`Config file ${file} must hold a mapping (backend, strategy, dimension), not ${Array.isArray(config) ? 'a list' : `a ${typeof config}`}.`);
  }
  if (Object.keys(config).length === 0) throw new ConfigurationError(`Config file ${file} is empty: it needs backend, strategy and dimension.`);
  return config as Record<string, unknown>;
}

/** Opens the store a config file describes, with `${ENV}` resolved from the command's environment. */
export async function openStore(file: string, io: CommandIo): Promise<TenantVectorStore> {
  return (await openStoreWithBackend(file, io)).store;
}

async function openStoreWithBackend(file: string, io: CommandIo) {
  // Always through settingsFromConfig: a file is a plain config even when its backend is missing,
  // and the schema then names the missing field instead of a contract version.
  const { settings, recommendation } = await settingsFromConfig(await readConfigObject(file), { environment: io.environment });
  const store = await createTenantVectorStore(settings).catch(async (error: unknown) => {
    await settings.backend.close();
    throw error;
  });
  return { store: recommendation === undefined ? store : Object.freeze({ ...store, recommendation }), backend: settings.backend, name: settings.name ?? 'tenantvec' };
}

/**
 * Runs `use` with an open store and closes it whatever happens. First warns on stderr when the
 * config's strategy sees no tenant while the backend holds another strategy's collections: the
 * strategy was switched over existing data, and this command would not see that data.
 */
export async function withStore<T>(file: string, io: CommandIo, use: (store: TenantVectorStore) => Promise<T>): Promise<T> {
  const { store, backend, name } = await openStoreWithBackend(file, io);
  try {
    const warning = await strategySwitchWarning({ store, backend, name });
    if (warning !== undefined) io.stderr(`tenantvec: warning: ${warning}\n`);
    return await use(store);
  } finally {
    await store.close();
  }
}
