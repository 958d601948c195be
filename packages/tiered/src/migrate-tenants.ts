import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { InvalidArgumentError, VerificationFailedError, type TenantVectorStore } from '@tenantvec/core';
import { copyTenant } from './copy-tenant.js';
import { tenantChecksum } from './tenant-checksum.js';

/** Where each tenant's migration stands, so an interrupted run resumes instead of restarting. */
export interface MigrationCheckpoint {
  load(): Promise<Record<string, TenantMigrationState>>;
  save(tenantId: string, state: TenantMigrationState): Promise<void>;
}

export interface TenantMigrationState {
  status: 'copying' | 'copied' | 'done';
  copied: number;
  /** Export cursor after the last page written. */
  after?: string;
}

export function memoryCheckpoint(): MigrationCheckpoint {
  const states: Record<string, TenantMigrationState> = {};
  return { load: async () => structuredClone(states), save: async (tenantId, state) => void (states[tenantId] = structuredClone(state)) };
}

/** A JSON file rewritten through a rename after every page, so a crash loses at most one page of progress. */
export function fileCheckpoint(path: string): MigrationCheckpoint {
  let states: Record<string, TenantMigrationState> | undefined;
  let queue: Promise<unknown> = Promise.resolve();
  const load = async () => {
    if (states === undefined) {
      try {
        states = JSON.parse(await readFile(path, 'utf8')) as Record<string, TenantMigrationState>;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
        states = {};
      }
    }
    return states;
  };
  return {
    load: async () => structuredClone(await load()),
    save: (tenantId, state) => {
      const next = queue.then(async () => {
        const current = await load();
        current[tenantId] = structuredClone(state);
        await mkdir(dirname(path), { recursive: true });
        await writeFile(`${path}.tmp`, `${JSON.stringify(current, null, 2)}\n`);
        await rename(`${path}.tmp`, path);
      });
      queue = next.catch(() => {});
      return next;
    },
  };
}

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
  const states = await checkpoint.load();
  const tenants = params.tenants ?? (await allTenants(from));
  const report: MigrationReport = { tenants: [] };
  let done = 0;

  const migrateOne = async (tenantId: string) => {
    const state: TenantMigrationState = states[tenantId] ?? { status: 'copying', copied: 0 };
    const resumed = states[tenantId] !== undefined;
    const progress = (status: TenantMigrationState['status'], copied: number) =>
      params.onProgress?.({ tenantId, copied, status, tenantsDone: done, tenantsTotal: tenants.length });
    if (state.status === 'done') {
      done += 1;
      progress('done', state.copied);
      report.tenants.push({ tenantId, copied: state.copied, resumed: true });
      return;
    }
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
    let checksum: string | undefined;
    if (params.verify ?? true) {
      const [expected, actual] = await Promise.all([tenantChecksum(from.forTenant(tenantId)), tenantChecksum(to.forTenant(tenantId))]);
      if (expected.records !== actual.records || expected.checksum !== actual.checksum) {
        throw new VerificationFailedError(`Migration of ${tenantId}: the target holds ${actual.records} records, the source ${expected.records}${expected.checksum === actual.checksum ? '' : ', with different content'}.`);
      }
      checksum = expected.checksum;
    }
    if (params.move === true) await from.dropTenant(tenantId, { verify: 'tenant' });
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
