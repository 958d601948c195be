import { ConfigurationError, VerificationFailedError, type TenantVectorStore } from '@tenantvec/core';
import { copyTenant } from './copy-tenant.js';
import type { PlacementMap } from './placement-map.js';
import { tenantChecksum } from './tenant-checksum.js';

/** The steps of a promotion, in order; `onStep` hears each before it runs. */
export type PromotionStep = 'mark' | 'clear-target' | 'copy' | 'verify' | 'switch' | 'drain' | 'delete-source';

export interface PromotionOptions {
  /** Hears each step before it runs (progress); throwing stops the promotion there. */
  onStep?: (step: PromotionStep) => void | Promise<void>;
  /** Hears the copy's progress. */
  onCopied?: (copied: number) => void;
  /** @default 500 */
  pageSize?: number;
}

export interface PromotionReport {
  tenantId: string;
  from: string;
  to: string;
  /** Records copied; 0 when the tenant was already in place. */
  copied: number;
  /** Content checksum both sides agreed on. */
  checksum?: string;
  /** The tenant already lived in `to`: only leftovers elsewhere were removed. */
  alreadyPlaced: boolean;
}

export interface PromotionContext {
  tiers: Readonly<Record<string, TenantVectorStore>>;
  placements: PlacementMap;
  defaultTier: string;
  /** Waits until reads that started on a tier before the switch have finished. */
  drainReads(tenantId: string, tier: string): Promise<void>;
}

/**
 * Moves one tenant to another tier: mark it moving (reads stay on the source, writes wait), copy,
 * verify count and checksum, switch the placement in one atomic write, let reads on the source
 * finish, delete the source. A failure at any step leaves the tenant readable in exactly one
 * tier, and rerunning the promotion finishes the job.
 */
export async function promoteTenant(context: PromotionContext, tenantId: string, to: string, options: PromotionOptions = {}): Promise<PromotionReport> {
  const { tiers, placements } = context;
  if (tiers[to] === undefined) throw new ConfigurationError(`There is no tier named ${JSON.stringify(to)}.`);
  const step = async (name: PromotionStep) => options.onStep?.(name);
  const entry = (await placements.get(tenantId)) ?? { tier: context.defaultTier };

  if (entry.tier === to && entry.moving === undefined) {
    // Already switched, perhaps by a run that failed while deleting the source: finish that.
    for (const [name, store] of Object.entries(tiers)) {
      if (name !== to && (await store.forTenant(tenantId).count()) > 0) {
        await step('delete-source');
        await store.dropTenant(tenantId, { verify: 'tenant' });
      }
    }
    return { tenantId, from: to, to, copied: 0, alreadyPlaced: true };
  }

  const from = entry.tier;
  const source = tiers[from];
  if (source === undefined) throw new ConfigurationError(`Tenant ${tenantId} is placed in an unknown tier ${JSON.stringify(from)}.`);
  await step('mark');
  await placements.set(tenantId, { tier: from, moving: { to, since: new Date().toISOString() } });
  // A failed earlier attempt may have left a partial copy; start the target clean.
  await step('clear-target');
  await tiers[to]!.dropTenant(tenantId, { verify: 'tenant' });
  await step('copy');
  const { copied } = await copyTenant({
    from: source.forTenant(tenantId),
    to: tiers[to]!.forTenant(tenantId),
    ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
    onPage: (progress) => options.onCopied?.(progress.copied),
  });
  await step('verify');
  const [expected, actual] = await Promise.all([tenantChecksum(source.forTenant(tenantId)), tenantChecksum(tiers[to]!.forTenant(tenantId))]);
  if (expected.records !== actual.records || expected.checksum !== actual.checksum) {
    // Keep serving from the source, which is intact, and throw the copy away.
    await tiers[to]!.dropTenant(tenantId, { verify: 'tenant' });
    await placements.set(tenantId, { tier: from });
    throw new VerificationFailedError(
      `Promotion of ${tenantId} to ${to} copied ${actual.records} of ${expected.records} records${expected.checksum === actual.checksum ? '' : ' with different content'}; the tenant stays in ${from}.`,
    );
  }
  await step('switch');
  await placements.set(tenantId, { tier: to });
  await step('drain');
  await context.drainReads(tenantId, from);
  await step('delete-source');
  await source.dropTenant(tenantId, { verify: 'tenant' });
  return { tenantId, from, to, copied, checksum: expected.checksum, alreadyPlaced: false };
}
