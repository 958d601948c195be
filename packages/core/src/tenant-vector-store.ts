import { z } from 'zod';
import { isPlainConfig, settingsFromConfig, type ConfigOptions } from './config/settings-from-config.js';
import type { TenantVectorStoreConfig } from './config/store-config-schema.js';
import type { StrategyRecommendation } from './decision/recommend-strategy.js';
import { EMBEDDER_CONTRACT_VERSION, type Embedder } from './embedder.js';
import { ConfigurationError, DimensionMismatchError, ErasureIncompleteError, InvalidArgumentError, TenantVecError, UnsupportedError } from './errors.js';
import { ISOLATION_STRATEGY_CONTRACT_VERSION, type IsolationStrategy, type StrategyType } from './isolation-strategy.js';
import { DEFAULT_MAX_METADATA_BYTES } from './metadata.js';
import type { StoreHooks } from './operation-hooks.js';
import { metrics, type Metric } from './similarity.js';
import { parseSettings } from './settings/strict-settings.js';
import { StoreRuntime } from './store-runtime.js';
import type { KeywordSettings } from './keyword/term-statistics.js';
import { assertValidTenantId } from './tenant-id.js';
import { createTenantScope, type TenantScope } from './tenant-scope.js';
import { VECTOR_BACKEND_CONTRACT_VERSION, type VectorBackend } from './vector-backend.js';

export interface TenantVectorStoreSettings {
  backend: VectorBackend;
  strategy: IsolationStrategy;
  /** Length of every vector. Fixed for the life of the store's collections. */
  dimension: number;
  /** @default 'cosine' */
  metric?: Metric;
  /** Turns text into vectors for records and queries given as text only. */
  embedder?: Embedder;
  /**
   * Prefix of every collection this store creates: letters, digits and '_', starting with a
   * lowercase letter. Two stores on one database stay apart by using two names.
   * @default 'tenantvec'
   */
  name?: string;
  /**
   * Records embedded and written together: a larger `upsert` or `ingest` is checked whole, then
   * written in steps of this many (each in requests of the backend's own limit). @default 1000
   */
  maxBatchSize?: number;
  /** Largest metadata object per record, as JSON bytes. @default 40960 */
  maxMetadataBytes?: number;
  /** Audit, metering and rate limits: called around every operation (see `StoreHooks`). */
  hooks?: readonly StoreHooks[];
  /** Keyword and hybrid search; see `KeywordSettings`. */
  keyword?: KeywordSettings;
}

const keywordSettingsSchema = z.strictObject({ shareTermStatisticsAcrossTenants: z.boolean().optional() });

export type DropVerification = 'none' | 'tenant' | 'all';

export interface DropReport {
  tenantId: string;
  /** Records of the tenant counted after the drop: 0 when verified. */
  remaining?: number;
  verified: DropVerification;
  /** With `verify: 'all'`: how many other tenants were counted before and after. */
  otherTenantsChecked?: number;
}

export interface ListTenantsResult {
  tenants: string[];
  /** Pass as `after` to get the next page; absent on the last page. */
  next?: string;
}

/** The entry point: hands out tenant scopes and does what spans tenants. */
export interface TenantVectorStore {
  readonly strategy: StrategyType;
  readonly backend: string;
  readonly dimension: number;
  readonly metric: Metric;
  /** What `strategy: { type: 'auto' }` chose, and why; absent when the strategy was given. */
  readonly recommendation?: StrategyRecommendation;
  /** @throws InvalidTenantIdError before any I/O for an id that breaks the tenant-id rule. */
  forTenant(tenantId: string): TenantScope;
  listTenants(params?: { after?: string; limit?: number }): Promise<ListTenantsResult>;
  /**
   * Removes every record and all storage of one tenant, and nothing of any other, then
   * verifies: the tenant counts 0 (`verify: 'tenant'`, the default), and with `'all'` every
   * other tenant's count is unchanged (use it when other tenants are not writing).
   * @throws ErasureIncompleteError when a verification fails.
   */
  dropTenant(tenantId: string, params?: { verify?: DropVerification }): Promise<DropReport>;
  close(): Promise<void>;
}

const storeNamePattern = /^[a-z][a-z0-9_]{0,23}$/;

/**
 * Creates a store from ready objects (`backend: pgvector(...)`, `strategy: metadataFilter()`) or
 * from a plain config (`backend: { type: 'pgvector', ... }`, `strategy: { type: 'auto', ... }`),
 * as read by `readStoreConfig` from JSON or YAML.
 */
export async function createTenantVectorStore(
  settingsOrConfig: TenantVectorStoreSettings | TenantVectorStoreConfig,
  options: ConfigOptions = {},
): Promise<TenantVectorStore> {
  if (isPlainConfig(settingsOrConfig)) {
    const { settings, recommendation } = await settingsFromConfig(settingsOrConfig, options);
    const store = await createFromSettings(settings);
    return recommendation === undefined ? store : Object.freeze({ ...store, recommendation });
  }
  return createFromSettings(settingsOrConfig as TenantVectorStoreSettings);
}

/**
 * Only which keys exist is checked here (the values are checked one by one below, with messages
 * of their own): a misspelt `maxBatchSze` must be an error, not a default silently kept.
 */
const storeSettingKeys = z.strictObject(Object.fromEntries(
  (['backend', 'strategy', 'dimension', 'metric', 'embedder', 'name', 'maxBatchSize', 'maxMetadataBytes', 'hooks', 'keyword'] satisfies (keyof TenantVectorStoreSettings)[])
    .map((key) => [key, z.unknown().optional()]),
));

async function createFromSettings(settings: TenantVectorStoreSettings): Promise<TenantVectorStore> {
  parseSettings({ schema: storeSettingKeys, settings, root: 'createTenantVectorStore' });
  const keyword = parseSettings({ schema: keywordSettingsSchema, settings: settings.keyword ?? {}, root: 'keyword' });
  const { backend, strategy, embedder } = settings;
  const metric = settings.metric ?? 'cosine';
  const name = settings.name ?? 'tenantvec';
  if (backend?.contractVersion !== VECTOR_BACKEND_CONTRACT_VERSION) {
    throw new ConfigurationError(
      (backend as { contractVersion?: unknown } | undefined)?.contractVersion === 1
        ? `backend implements VectorBackend version 1; this @tenantvec/core needs version ${VECTOR_BACKEND_CONTRACT_VERSION}, whose data methods are named raw* (rawQuery, rawUpsert...): upgrade the backend package.`
        : `backend must implement VectorBackend version ${VECTOR_BACKEND_CONTRACT_VERSION}.`,
    );
  }
  if (strategy?.contractVersion !== ISOLATION_STRATEGY_CONTRACT_VERSION) {
    throw new ConfigurationError(`strategy must implement IsolationStrategy version ${ISOLATION_STRATEGY_CONTRACT_VERSION}.`);
  }
  if (!Number.isInteger(settings.dimension) || settings.dimension < 1 || settings.dimension > 16_000) {
    throw new ConfigurationError(`dimension must be a whole number from 1 to 16000, got ${String(settings.dimension)}.`);
  }
  if (!metrics.includes(metric)) throw new ConfigurationError(`metric must be one of ${metrics.join(', ')}.`);
  if (!storeNamePattern.test(name)) {
    // The value is not echoed: it may come from a config file or an environment variable.
    throw new ConfigurationError(`name must be 1 to 24 lowercase letters, digits or '_', starting with a letter.`);
  }
  if (embedder !== undefined) {
    if (embedder.contractVersion !== EMBEDDER_CONTRACT_VERSION) throw new ConfigurationError(`embedder must implement Embedder version ${EMBEDDER_CONTRACT_VERSION}.`);
    if (embedder.dimension !== settings.dimension) {
      throw new DimensionMismatchError(`Embedder ${embedder.name} makes ${embedder.dimension}-dimensional vectors; the store has ${settings.dimension}.`);
    }
  }
  const unmet = strategy.unmetRequirements(backend.capabilities);
  if (unmet.length > 0) {
    throw new UnsupportedError(`The ${strategy.type} strategy cannot run on the ${backend.name} backend: ${unmet.join('; ')}.`);
  }
  const limits = {
    maxBatchSize: positiveInteger(settings.maxBatchSize ?? 1000, 'maxBatchSize'),
    maxMetadataBytes: positiveInteger(settings.maxMetadataBytes ?? DEFAULT_MAX_METADATA_BYTES, 'maxMetadataBytes'),
  };
  const context = { backend, dimension: settings.dimension, metric, baseName: name };
  await strategy.prepare(context);
  const runtime = new StoreRuntime(context, strategy, embedder, limits, settings.hooks ?? [], keyword);
  const { reporter } = runtime;
  const validTenant = (operation: 'forTenant' | 'dropTenant', tenantId: string) => {
    try {
      assertValidTenantId(tenantId);
    } catch (error) {
      if (TenantVecError.isInstance(error)) reporter.reportRefusedTenant(operation, tenantId, error);
      throw error;
    }
  };

  const countTenant = (tenantId: string) => {
    const placement = strategy.place(context, tenantId);
    return backend.rawCount({ location: placement.location, scope: placement.scope });
  };
  /** Record counts of every tenant but one, page by page. */
  const countOthers = async (except: string): Promise<Map<string, number>> => {
    const counts = new Map<string, number>();
    let after: string | undefined;
    for (;;) {
      const page = await strategy.listTenants(context, { limit: 500, ...(after === undefined ? {} : { after }) });
      for (const tenant of page) if (tenant !== except) counts.set(tenant, await countTenant(tenant));
      if (page.length < 500) return counts;
      after = page.at(-1);
    }
  };

  return Object.freeze({
    strategy: strategy.type,
    backend: backend.name,
    dimension: settings.dimension,
    metric,
    forTenant(tenantId: string) {
      validTenant('forTenant', tenantId);
      runtime.assertOpen();
      return createTenantScope(runtime, tenantId);
    },
    listTenants: (params: { after?: string; limit?: number } = {}) => reporter.run({ operation: 'listTenants' }, async (tracker) => {
      runtime.assertOpen();
      const limit = params.limit ?? 100;
      if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
        throw new InvalidArgumentError('limit must be a whole number from 1 to 10000.');
      }
      await tracker.ready();
      // One extra row tells whether another page follows without a second round trip.
      const found = await strategy.listTenants(context, { limit: limit + 1, ...(params.after === undefined ? {} : { after: params.after }) });
      const tenants = found.slice(0, limit);
      tracker.note({ results: tenants.length });
      return found.length > limit ? { tenants, next: tenants.at(-1)! } : { tenants };
    }),
    async dropTenant(tenantId: string, params: { verify?: DropVerification } = {}) {
      validTenant('dropTenant', tenantId);
      const verify = params.verify ?? 'tenant';
      if (!['none', 'tenant', 'all'].includes(verify)) throw new InvalidArgumentError("verify must be 'none', 'tenant' or 'all'.");
      return reporter.run({ operation: 'dropTenant', tenant: tenantId }, async (tracker): Promise<DropReport> => {
        runtime.assertOpen();
        await tracker.ready();
        const before = verify === 'all' ? await countOthers(tenantId) : undefined;
        await strategy.offboard(context, tenantId);
        runtime.forgetOnboarding(tenantId);
        if (verify === 'none') return { tenantId, verified: verify };
        const remaining = await countTenant(tenantId);
        if (remaining !== 0) throw new ErasureIncompleteError(`${remaining} record(s) of tenant ${tenantId} remain after the drop.`);
        if (before === undefined) return { tenantId, remaining, verified: verify };
        const after = await countOthers(tenantId);
        const changed = [...new Set([...before.keys(), ...after.keys()])].filter((tenant) => before.get(tenant) !== after.get(tenant)).length;
        if (changed > 0) throw new ErasureIncompleteError(`The drop of ${tenantId} finished, but ${changed} other tenant(s) changed record count meanwhile.`);
        return { tenantId, remaining, verified: verify, otherTenantsChecked: before.size };
      });
    },
    async close() {
      if (!runtime.isClosed()) {
        runtime.markClosed();
        await backend.close();
      }
    },
  });
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isInteger(value) || value < 1) throw new ConfigurationError(`${name} must be a positive whole number.`);
  return value;
}
