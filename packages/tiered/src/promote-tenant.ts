import { ConfigurationError, InvalidArgumentError, VerificationFailedError, type TenantVectorStore } from '@tenantvec/core';
import { copyTenant } from './copy-tenant.js';
import type { PlacementMap } from './placement-map.js';
import { tenantChecksum } from './tenant-checksum.js';

/** The steps of a promotion, in order; `onStep` hears each before it runs. */
export type PromotionStep = 'mark' | 'drain-writes' | 'clear-target' | 'copy' | 'verify' | 'switch' | 'drain' | 'delete-source';

export interface PromotionOptions {
  /** Hears each step before it runs (progress); throwing stops the promotion there. */
  onStep?: (step: PromotionStep) => void | Promise<void>;
  /** Hears the copy's progress. */
  onCopied?: (copied: number) => void;
  /** @default 500 */
  pageSize?: number;
  /**
   * Copies tried before giving up when verification finds the source changed under the copy
   * (a writer the fence does not see, such as another process). @default 3
   */
  copyAttempts?: number;
  /** Pause before a further attempt, times the attempt number, so such a writer can finish. @default 100 */
  retryDelayMs?: number;
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
  /**
   * Waits until the tenant's writes admitted before the mark have finished. Called once the mark
   * is stored: every write admitted later sees it and is refused, so none lands after the copy.
   */
  drainWrites(tenantId: string): Promise<void>;
}

/**
 * Moves one tenant to another tier: mark it moving (reads stay on the source, new writes are
 * refused), wait for the writes admitted before the mark, copy, verify count and checksum,
 * switch the placement in one atomic write, let reads on the source finish, delete the source.
 * Verification that fails because the source changed (a writer outside this process) clears the
 * copy and tries again, `copyAttempts` times in all. A failure before the switch puts the
 * placement back so writes resume on the source; at any step the tenant is readable in exactly
 * one tier, and rerunning the promotion finishes the job.
 */
export async function promoteTenant(context: PromotionContext, tenantId: string, to: string, options: PromotionOptions = {}): Promise<PromotionReport> {
  const { tiers, placements } = context;
  const target = tiers[to];
  if (target === undefined) throw new ConfigurationError(`There is no tier named ${JSON.stringify(to)}.`);
  const attempts = options.copyAttempts ?? 3;
  if (!Number.isInteger(attempts) || attempts < 1) throw new InvalidArgumentError('copyAttempts must be a positive whole number.');
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
  let switching = false;
  try {
    await step('mark');
    await placements.set(tenantId, { tier: from, moving: { to, since: new Date().toISOString() } });
    await step('drain-writes');
    await context.drainWrites(tenantId);
    const { copied, checksum } = await copyUntilVerified({ source, target, tenantId, to, from, attempts, options, step });
    await step('switch');
    switching = true;
    await placements.set(tenantId, { tier: to });
    await step('drain');
    await context.drainReads(tenantId, from);
    await step('delete-source');
    await source.dropTenant(tenantId, { verify: 'tenant' });
    return { tenantId, from, to, copied, checksum, alreadyPlaced: false };
  } catch (error) {
    // Before the switch was attempted the source is whole and the only copy that counts: let
    // writes resume there. After it, the placement may already name the target: leave it.
    if (!switching) await placements.set(tenantId, { tier: from }).catch(() => {});
    throw error;
  }
}

async function copyUntilVerified(params: {
  source: TenantVectorStore;
  target: TenantVectorStore;
  tenantId: string;
  from: string;
  to: string;
  attempts: number;
  options: PromotionOptions;
  step: (name: PromotionStep) => Promise<void>;
}): Promise<{ copied: number; checksum: string }> {
  const { source, target, tenantId, options, step } = params;
  for (let attempt = 1; ; attempt += 1) {
    // A failed earlier attempt may have left a partial copy; start the target clean.
    await step('clear-target');
    await target.dropTenant(tenantId, { verify: 'tenant' });
    await step('copy');
    const { copied } = await copyTenant({
      from: source.forTenant(tenantId),
      to: target.forTenant(tenantId),
      ...(options.pageSize === undefined ? {} : { pageSize: options.pageSize }),
      onPage: (progress) => options.onCopied?.(progress.copied),
    });
    await step('verify');
    const [expected, actual] = await Promise.all([tenantChecksum(source.forTenant(tenantId)), tenantChecksum(target.forTenant(tenantId))]);
    if (expected.records === actual.records && expected.checksum === actual.checksum) return { copied, checksum: expected.checksum };
    if (attempt >= params.attempts) {
      // Keep serving from the source, which is intact, and throw the copy away.
      await target.dropTenant(tenantId, { verify: 'tenant' });
      throw new VerificationFailedError(
        `Promotion of ${tenantId} to ${params.to} copied ${actual.records} of ${expected.records} records${expected.checksum === actual.checksum ? '' : ' with different content'} ` +
          `in each of ${params.attempts} attempts: something outside this process keeps writing to it; the tenant stays in ${params.from}.`,
        { retryable: true },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, (options.retryDelayMs ?? 100) * attempt));
  }
}
