import {
  assertValidTenantId,
  ConfigurationError,
  InvalidArgumentError,
  joinSource,
  normalizeSource,
  TenantMigratingError,
  type DropReport,
  type DropVerification,
  type TenantScope,
  type TenantVectorStore,
} from '@tenantvec/core';
import type { PlacementEntry, PlacementMap } from './placement-map.js';
import { promoteTenant, type PromotionOptions, type PromotionReport } from './promote-tenant.js';

export interface TieredStoreSettings {
  /** The stores tenants can live in, by name: say `shared` (metadata-filter) and `dedicated` (collection-per-tenant). */
  tiers: Record<string, TenantVectorStore>;
  /** Where tenants without a placement entry live. */
  defaultTier: string;
  placements: PlacementMap;
  /** Promote a tenant of the default tier once it holds more than `promoteAbove` records. */
  policy?: { promoteAbove: number; to: string };
}

export interface TieredStore extends TenantVectorStore {
  readonly tierNames: readonly string[];
  placementOf(tenantId: string): Promise<PlacementEntry>;
  promoteTenant(tenantId: string, to: string, options?: PromotionOptions): Promise<PromotionReport>;
}

/**
 * A router store over several stores. Each tenant lives in exactly one tier, named by the
 * placement map; every call of a tenant's scope looks its tier up, so a promotion's switch takes
 * effect at once. Reads keep working during a promotion; writes are refused while it copies (a
 * retryable `TenantMigratingError`), and the writes admitted before its mark are waited for, so
 * source and copy cannot drift apart and no acknowledged write is left behind in the source.
 */
export function createTieredStore(settings: TieredStoreSettings): TieredStore {
  const { tiers, defaultTier, placements, policy } = settings;
  const names = Object.keys(tiers);
  const main = tiers[defaultTier];
  if (main === undefined) throw new ConfigurationError(`defaultTier ${JSON.stringify(defaultTier)} is not one of the tiers (${names.join(', ')}).`);
  if (names.some((name) => tiers[name]!.dimension !== main.dimension)) throw new ConfigurationError('Every tier must have the same dimension.');
  if (policy !== undefined && (tiers[policy.to] === undefined || !(policy.promoteAbove >= 1))) {
    throw new ConfigurationError('policy needs a tier to promote to and a positive promoteAbove.');
  }
  const promoting = new Set<string>();
  const reads = new Map<string, Set<Promise<unknown>>>();
  const writes = new Map<string, Set<Promise<unknown>>>();

  const placementOf = async (tenantId: string): Promise<PlacementEntry> => (await placements.get(tenantId)) ?? { tier: defaultTier };

  const track = <T>(table: Map<string, Set<Promise<unknown>>>, key: string, operation: Promise<T>): Promise<T> => {
    const running = table.get(key) ?? new Set();
    table.set(key, running);
    running.add(operation);
    return operation.finally(() => {
      running.delete(operation);
      if (running.size === 0 && table.get(key) === running) table.delete(key);
    });
  };
  /** Counts a read against the tier it started on, so a promotion deletes the source only after it. */
  const tracked = <T>(tenantId: string, tier: string, read: Promise<T>): Promise<T> => track(reads, `${tier}\u0000${tenantId}`, read);
  /** Waits for what is in flight now; what starts later is not waited for. */
  const drain = async (table: Map<string, Set<Promise<unknown>>>, key: string) => void (await Promise.allSettled([...(table.get(key) ?? [])]));

  const promote = async (tenantId: string, to: string, options?: PromotionOptions) => {
    assertValidTenantId(tenantId);
    if (promoting.has(tenantId)) throw new TenantMigratingError(`Tenant ${tenantId} is already being promoted.`, { retryable: true });
    promoting.add(tenantId);
    try {
      return await promoteTenant(
        {
          tiers,
          placements,
          defaultTier,
          drainReads: (id, tier) => drain(reads, `${tier}\u0000${id}`),
          drainWrites: (id) => drain(writes, id),
        },
        tenantId,
        to,
        options,
      );
    } finally {
      promoting.delete(tenantId);
    }
  };

  const routedScope = (tenantId: string, path: string | undefined): TenantScope => {
    const locate = async (forWrite: boolean) => {
      const entry = await placementOf(tenantId);
      if (forWrite && entry.moving !== undefined) {
        throw new TenantMigratingError(`Tenant ${tenantId} is being moved between tiers; writes resume when the move ends.`, { retryable: true });
      }
      const store = tiers[entry.tier];
      if (store === undefined) throw new ConfigurationError(`Tenant ${tenantId} is placed in an unknown tier ${JSON.stringify(entry.tier)}.`);
      const scope = store.forTenant(tenantId);
      return { tier: entry.tier, scope: path === undefined ? scope : scope.scope(path) };
    };
    const read = <T>(use: (scope: TenantScope) => Promise<T>) => locate(false).then(({ tier, scope }) => tracked(tenantId, tier, use(scope)));
    // Counted from before the placement lookup: a promotion that stores its mark and then drains
    // waits for every write that could have read the placement before the mark.
    const write = <T>(use: (scope: TenantScope) => Promise<T>) => track(writes, tenantId, locate(true).then(({ scope }) => use(scope)));

    /** After a write: the write that crosses the threshold pays for the move, so growth never goes unnoticed. */
    const growing = async <T>(written: Promise<T>): Promise<T> => {
      const result = await written;
      if (policy !== undefined) {
        const entry = await placementOf(tenantId);
        // A concurrent write may already be paying; this one was written and needs no second move.
        if (entry.tier === defaultTier && entry.moving === undefined && (await tiers[defaultTier]!.forTenant(tenantId).count()) > policy.promoteAbove && !promoting.has(tenantId)) {
          await promote(tenantId, policy.to);
        }
      }
      return result;
    };

    return Object.freeze({
      tenantId,
      path,
      upsert: (records) => growing(write((scope) => scope.upsert(records))),
      ingest: (document) => growing(write((scope) => scope.ingest(document))),
      ingestMany: (params) => growing(write((scope) => scope.ingestMany(params))),
      documents: (params) => read((scope) => scope.documents(params)),
      deleteDocument: (params) => write((scope) => scope.deleteDocument(params)),
      query: (params) => read((scope) => scope.query(params)),
      get: (id) => read((scope) => scope.get(id)),
      getMany: (ids) => read((scope) => scope.getMany(ids)),
      delete: (params) => write((scope) => scope.delete(params)),
      count: (params) => read((scope) => scope.count(params)),
      stats: () => read((scope) => scope.stats()),
      async *export(params) {
        for await (const page of this.exportPages(params)) yield* page.records;
      },
      async *exportPages(params) {
        const { tier, scope } = await locate(false);
        let finish: () => void = () => {};
        void tracked(tenantId, tier, new Promise<void>((resolve) => (finish = resolve)));
        try {
          yield* scope.exportPages(params);
        } finally {
          finish();
        }
      },
      scope(subpath) {
        const relative = normalizeSource(subpath, 'scope path');
        return routedScope(tenantId, path === undefined ? relative : joinSource(path, relative));
      },
    } satisfies TenantScope);
  };

  return Object.freeze({
    strategy: main.strategy,
    backend: main.backend,
    dimension: main.dimension,
    metric: main.metric,
    tierNames: names,
    placementOf,
    promoteTenant: promote,
    forTenant(tenantId: string) {
      assertValidTenantId(tenantId);
      return routedScope(tenantId, undefined);
    },
    async listTenants(params: { after?: string; limit?: number } = {}) {
      const limit = params.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw new InvalidArgumentError('limit must be a whole number from 1 to 10000.');
      // Each tier lists sorted and a tier's unlisted tenants sort after its page, so the first
      // `limit` of the merged pages are the first `limit` of all tiers.
      const pages = await Promise.all(Object.values(tiers).map((store) => store.listTenants({ limit, ...(params.after === undefined ? {} : { after: params.after }) })));
      const merged = [...new Set(pages.flatMap((page) => page.tenants))].sort();
      const tenants = merged.slice(0, limit);
      const more = merged.length > limit || pages.some((page) => page.next !== undefined);
      return more && tenants.length > 0 ? { tenants, next: tenants.at(-1)! } : { tenants };
    },
    async dropTenant(tenantId: string, params: { verify?: DropVerification } = {}): Promise<DropReport> {
      assertValidTenantId(tenantId);
      if (promoting.has(tenantId)) throw new TenantMigratingError(`Tenant ${tenantId} is being promoted; drop it after the move.`, { retryable: true });
      // Every tier, not only the placed one: a failed promotion may have left a copy anywhere.
      for (const store of Object.values(tiers)) await store.dropTenant(tenantId, params);
      await placements.delete(tenantId);
      return { tenantId, verified: params.verify ?? 'tenant', ...(params.verify === 'none' ? {} : { remaining: 0 }) };
    },
    async close() {
      await Promise.all(Object.values(tiers).map((store) => store.close()));
    },
  });
}
