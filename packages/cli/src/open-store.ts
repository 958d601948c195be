import { createTenantVectorStore, readStoreConfig, type TenantVectorStore } from '@tenantvec/core';
import type { CommandIo } from './command-io.js';

/** Opens the store a config file describes, with `${ENV}` resolved from the command's environment. */
export async function openStore(file: string, io: CommandIo): Promise<TenantVectorStore> {
  return createTenantVectorStore((await readStoreConfig(file)) as never, { environment: io.environment });
}

/** Runs `use` with an open store and closes it whatever happens. */
export async function withStore<T>(file: string, io: CommandIo, use: (store: TenantVectorStore) => Promise<T>): Promise<T> {
  const store = await openStore(file, io);
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}
