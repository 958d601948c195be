import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

/** Where one tenant lives, and whether it is being moved. */
export interface PlacementEntry {
  tier: string;
  /** Set while a promotion copies the tenant: reads stay on `tier`, writes wait. */
  moving?: { to: string; since: string };
}

/**
 * The persistent map from tenant to tier. `set` must be atomic: a reader sees the old entry or
 * the new one, never a mixture — the switch of a promotion is exactly one `set`.
 */
export interface PlacementMap {
  get(tenantId: string): Promise<PlacementEntry | undefined>;
  set(tenantId: string, entry: PlacementEntry): Promise<void>;
  delete(tenantId: string): Promise<void>;
  list(): Promise<[string, PlacementEntry][]>;
}

/** For tests and single-process use; forgets everything on exit. */
export function memoryPlacementMap(initial: Record<string, PlacementEntry> = {}): PlacementMap {
  const entries = new Map(Object.entries(initial).map(([tenant, entry]) => [tenant, structuredClone(entry)]));
  return {
    get: async (tenantId) => structuredClone(entries.get(tenantId)),
    set: async (tenantId, entry) => void entries.set(tenantId, structuredClone(entry)),
    delete: async (tenantId) => void entries.delete(tenantId),
    list: async () => [...entries].map(([tenant, entry]) => [tenant, structuredClone(entry)] as [string, PlacementEntry]).sort(([a], [b]) => (a < b ? -1 : 1)),
  };
}

/**
 * A JSON file, rewritten whole through a temporary file and a rename, so a crash leaves either
 * the old map or the new one. One process writes it; changes are serialised within it.
 */
export function filePlacementMap(path: string): PlacementMap {
  let cache: Map<string, PlacementEntry> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const load = async () => {
    if (cache === undefined) {
      try {
        cache = new Map(Object.entries(JSON.parse(await readFile(path, 'utf8')) as Record<string, PlacementEntry>));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        cache = new Map();
      }
    }
    return cache;
  };
  const change = (apply: (entries: Map<string, PlacementEntry>) => void) => {
    const next = queue.then(async () => {
      const entries = await load();
      const updated = new Map(entries);
      apply(updated);
      await mkdir(dirname(path), { recursive: true });
      const temporary = `${path}.${process.pid}.tmp`;
      await writeFile(temporary, `${JSON.stringify(Object.fromEntries([...updated].sort(([a], [b]) => (a < b ? -1 : 1))), null, 2)}\n`);
      await rename(temporary, path);
      cache = updated;
    });
    queue = next.catch(() => {});
    return next;
  };
  return {
    get: async (tenantId) => structuredClone((await load()).get(tenantId)),
    set: (tenantId, entry) => change((entries) => void entries.set(tenantId, structuredClone(entry))),
    delete: (tenantId) => change((entries) => void entries.delete(tenantId)),
    list: async () => [...(await load())].map(([tenant, entry]) => [tenant, structuredClone(entry)] as [string, PlacementEntry]).sort(([a], [b]) => (a < b ? -1 : 1)),
  };
}
