import type { BackendDescription } from '@tenantvec/core/backend';
import type { PGliteDatabase as PGlite } from './database-drivers.js';

/** Where an embedded database is. A server's place comes from its client's target (connection-target.ts). */
export function describeEmbedded(storage: { dataDir?: string; pglite?: PGlite }): BackendDescription {
  if (storage.pglite !== undefined) {
    const dataDir = (storage.pglite as { dataDir?: unknown }).dataDir;
    return typeof dataDir === 'string' && dataDir !== '' && !dataDir.startsWith('memory://')
      ? { kind: 'pglite', dataDir, detail: 'an instance handed in' }
      : { kind: 'pglite', detail: 'an instance handed in' };
  }
  return storage.dataDir === undefined ? { kind: 'pglite', inMemory: true } : { kind: 'pglite', dataDir: storage.dataDir };
}
