import { InvalidArgumentError, TenantMigratingError, VerificationFailedError, type TenantVectorStore } from '@tenantvec/core';
import { copyTenant } from './copy-tenant.js';
import { memoryCheckpoint, migrationFingerprint, type MigrationCheckpoint, type TenantMigrationState } from './migration-checkpoint.js';
import { tenantChecksum } from './tenant-checksum.js';
import type { WriteFence } from './write-fence.js';

export interface MigrationProgress {
  tenantId: string;
  copied: number;
  status: TenantMigrationState['status'];
  tenantsDone: number;
  tenantsTotal: number;
}

export interface MigrateTenantsParams {
  from: TenantVectorStore;
  to: TenantVectorStore;
  /** The tenants to move; omit for every tenant of `from`. */
  tenants?: readonly string[];
  checkpoint?: MigrationCheckpoint;
  /**
   * Names this migration in the checkpoint, which then refuses to resume another. Give one that
   * tells the source and target apart (`migrationFingerprint({ from: configA, to: configB })`,
   * as the CLI does); the default only knows each store's backend, strategy and dimension.
   */
  fingerprint?: string;
  /**
   * With `move`: the fence installed on `from`'s hooks where the tenants are written. Each
   * tenant's writes are refused from the start of its copy, the admitted ones waited for, and
   * after the drop stay refused, so a tenant never ends in two stores. Without a fence, stop the
   * tenant's writers first: `move` re-checks the source before the drop and refuses if it changed,
   * but that is best effort — a write acknowledged between that check and the drop is deleted.
   */
  fence?: WriteFence;
  /** Compare count and content checksum of every tenant after its copy. @default true */
  verify?: boolean;
  /** Drop each tenant from `from` once its copy is verified, so it lives in one place only. @default false */
  move?: boolean;
  /** Tenants migrated at once. @default 2 */
  concurrency?: number;
  /** @default 500 */
  pageSize?: number;
  onProgress?: (progress: MigrationProgress) => void;
}

export interface MigrationReport {
  tenants: { tenantId: string; copied: number; checksum?: string; resumed: boolean }[];
}

/**
 * Copies tenants from one store to another — another strategy, another backend — with
 * progress, a checkpoint after every page, optional verification and an optional move.
 * Rerun with the same checkpoint after any failure: done tenants are skipped, the tenant in
 * flight resumes from its last written page (re-copying at most that page, by id).
 */
export async function migrateTenants(params: MigrateTenantsParams): Promise<MigrationReport> {
  const { from, to } = params;
  if (from.dimension !== to.dimension) throw new InvalidArgumentError(`Cannot migrate ${from.dimension}-dimensional vectors into a ${to.dimension}-dimensional store.`);
  const concurrency = params.concurrency ?? 2;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new InvalidArgumentError('concurrency must be a positive whole number.');
  const checkpoint = params.checkpoint ?? memoryCheckpoint();
  const fingerprint = params.fingerprint ?? migrationFingerprint({ from: describe(from), to: describe(to) });
  const states = await checkpoint.load(fingerprint);
  const fence = params.move === true ? params.fence : undefined;
  const tenants = params.tenants ?? (await allTenants(from));
  const report: MigrationReport = { tenants: [] };
  let done = 0;

  const copyAndVerify = async (tenantId: string, state: TenantMigrationState, progress: (status: TenantMigrationState['status'], copied: number) => void) => {
    if (state.status === 'copying') {
      const { copied } = await copyTenant({
        from: from.forTenant(tenantId),
        to: to.forTenant(tenantId),
        ...(state.after === undefined ? {} : { after: state.after }),
        alreadyCopied: state.copied,
        ...(params.pageSize === undefined ? {} : { pageSize: params.pageSize }),
        onPage: async (page) => {
          await checkpoint.save(tenantId, { status: 'copying', copied: page.copied, ...(page.next === undefined ? {} : { after: page.next }) });
          progress('copying', page.copied);
        },
      });
      state.status = 'copied';
      state.copied = copied;
      await checkpoint.save(tenantId, { status: 'copied', copied });
    }
    if (!(params.verify ?? true)) return undefined;
    const [expected, actual] = await Promise.all([tenantChecksum(from.forTenant(tenantId)), tenantChecksum(to.forTenant(tenantId))]);
    if (expected.records !== actual.records || expected.checksum !== actual.checksum) {
      // Resuming this copy would verify against the same stale pages forever: start it afresh.
      await to.dropTenant(tenantId, { verify: 'tenant' });
      await checkpoint.save(tenantId, { status: 'copying', copied: 0 });
      throw new VerificationFailedError(
        `Migration of ${tenantId}: the target holds ${actual.records} records, the source ${expected.records}${expected.checksum === actual.checksum ? '' : ', with different content'}. ` +
          'The copy was discarded; a rerun copies the tenant afresh.',
        { retryable: true },
      );
    }
    return expected.checksum;
  };

  const refuseIfChanged = async (tenantId: string, verified: string | undefined) => {
    const now = await tenantChecksum(from.forTenant(tenantId));
    const copied = verified ?? (await tenantChecksum(to.forTenant(tenantId))).checksum;
    if (now.checksum === copied) return;
    // The next run copies the tenant afresh, from a clean target.
    await to.dropTenant(tenantId, { verify: 'tenant' });
    await checkpoint.save(tenantId, { status: 'copying', copied: 0 });
    throw new TenantMigratingError(
      `Tenant ${tenantId} changed in the source while it was copied: writes are flowing. It stays in the source only; stop its writers (or pass a write fence) and rerun.`,
      { retryable: true },
    );
  };

  const migrateOne = async (tenantId: string) => {
    const state: TenantMigrationState = states[tenantId] ?? { status: 'copying', copied: 0 };
    const resumed = states[tenantId] !== undefined;
    const progress = (status: TenantMigrationState['status'], copied: number) =>
      params.onProgress?.({ tenantId, copied, status, tenantsDone: done, tenantsTotal: tenants.length });
    if (state.status === 'done') {
      fence?.markMoved(tenantId);
      done += 1;
      progress('done', state.copied);
      report.tenants.push({ tenantId, copied: state.copied, resumed: true });
      return;
    }
    if (fence !== undefined) await fence.close(tenantId);
    let checksum: string | undefined;
    try {
      checksum = await copyAndVerify(tenantId, state, progress);
      if (params.move === true) {
        // Without a fence, the last look before the drop: a changed source means writes are flowing.
        // It cannot see a write acknowledged after it and before the drop (documented, not closed).
        if (fence === undefined) await refuseIfChanged(tenantId, checksum);
        await from.dropTenant(tenantId, { verify: 'tenant' });
      }
    } catch (error) {
      fence?.open(tenantId);
      throw error;
    }
    fence?.markMoved(tenantId);
    await checkpoint.save(tenantId, { status: 'done', copied: state.copied });
    done += 1;
    progress('done', state.copied);
    report.tenants.push({ tenantId, copied: state.copied, ...(checksum === undefined ? {} : { checksum }), resumed });
  };

  const queue = [...tenants];
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, async () => {
    for (let tenantId = queue.shift(); tenantId !== undefined; tenantId = queue.shift()) await migrateOne(tenantId);
  }));
  report.tenants.sort((left, right) => (left.tenantId < right.tenantId ? -1 : 1));
  return report;
}

/** What a store says of itself: enough to tell most pairs apart when no fingerprint is given. */
function describe(store: TenantVectorStore) {
  return { backend: store.backend, strategy: store.strategy, dimension: store.dimension, metric: store.metric };
}

async function allTenants(store: TenantVectorStore): Promise<string[]> {
  const tenants: string[] = [];
  let after: string | undefined;
  do {
    const page = await store.listTenants({ limit: 1_000, ...(after === undefined ? {} : { after }) });
    tenants.push(...page.tenants);
    after = page.next;
  } while (after !== undefined);
  return tenants;
}
