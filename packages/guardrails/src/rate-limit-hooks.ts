import { AsyncLocalStorage } from 'node:async_hooks';
import { RateLimitedError, type OperationEvent, type OperationName, type OperationStart, type StoreHooks } from '@tenantvec/core';
import type { LimitStore } from './limit-store.js';
import { noteRateLimitWindow } from './rate-limit-headers.js';
import { checkRateLimitSettings, checkTenantLimits } from './rate-limit-settings-schema.js';
import { LimitStoreUnavailableError } from './tenant-errors.js';

/** Per-tenant limits; an absent one is unlimited. */
export interface TenantLimits {
  requestsPerMinute?: number;
  /** Tokens the embedder reported, per UTC day. */
  embeddingTokensPerDay?: number;
  vectorsStored?: number;
}

export type LimitName = keyof TenantLimits;

/** A `RateLimitedError` that also says which limit refused. */
export class TenantLimitError extends RateLimitedError {
  readonly limit: LimitName;
  constructor(limit: LimitName, message: string, retryAfterMs: number) {
    super(message, { retryAfterMs });
    this.limit = limit;
  }
}

export interface RateLimitSettings {
  /** The same limits for every tenant, or a lookup per tenant (plans, overrides). */
  limits: TenantLimits | ((tenant: string) => TenantLimits | undefined);
  store: LimitStore;
  /**
   * Counts what a tenant truly stores, such as `(tenant) => store.forTenant(tenant).count()`.
   * Called after deletes to correct the stored-vector count, which otherwise only grows: an
   * upsert that replaces a record counts as new, and deletes do not say how many records existed.
   */
  countStored?: (tenant: string) => Promise<number>;
  /** The clock, for day boundaries. @default Date.now */
  now?: () => number;
  /**
   * What happens while the limit store (Redis) is unavailable. `'fail-closed'` refuses tenant
   * operations with `LimitStoreUnavailableError` (HTTP 503): no tenant passes a limit or quota
   * unseen. `'fail-open'` lets them through uncounted and reports each failure to
   * `onStoreUnavailable`. @default 'fail-closed'
   */
  whenStoreUnavailable?: 'fail-closed' | 'fail-open';
  /**
   * Told of every store failure the hooks absorb: charges after an operation (both modes) and
   * admissions with `'fail-open'`. @default a console.warn at most once a minute
   */
  onStoreUnavailable?: (error: LimitStoreUnavailableError) => void;
}

export interface RateLimitHooks extends StoreHooks {
  /** Where a tenant stands against its limits. */
  usage(tenant: string): Promise<{ requestsThisMinute: number; embeddingTokensToday: number; vectorsStored: number }>;
  /** Sets the stored-vector count from a real count. */
  syncStored(tenant: string, records: number): Promise<void>;
}

const dayMs = 86_400_000;
// Operations a tenant's own requests make; store-wide and admin operations are not counted.
const tenantOperations: ReadonlySet<OperationName> = new Set(['upsert', 'ingest', 'query', 'get', 'delete', 'count', 'export', 'documents', 'stats']);

/**
 * Enforces per-tenant limits before any I/O or embedding. Requests per minute and stored
 * vectors are reserved atomically, so parallel requests never pass them together; tokens are
 * known only after embedding, so that quota is checked before and charged after, and one
 * operation can pass it by the tokens it used.
 */
export function rateLimitHooks(settings: RateLimitSettings): RateLimitHooks {
  checkRateLimitSettings(settings);
  const store = limitStoreFailuresTyped(settings.store);
  const now = settings.now ?? Date.now;
  const { limits } = settings;
  const limitsOf =
    typeof limits === 'function'
      ? (tenant: string) => {
          const found = limits(tenant);
          checkTenantLimits(found);
          return found;
        }
      : () => limits;
  const reservations = new Map<string, { tenant: string; records: number }>();
  const failOpen = settings.whenStoreUnavailable === 'fail-open';
  const report = settings.onStoreUnavailable ?? throttledWarning();
  // Recounts go through the store and so through these hooks: they must not count as requests.
  const recounting = new AsyncLocalStorage<true>();

  const keys = {
    requests: (tenant: string) => `${tenant}:requests`,
    tokens: (tenant: string) => `${tenant}:tokens:${new Date(now()).toISOString().slice(0, 10)}`,
    stored: (tenant: string) => `${tenant}:stored`,
  };
  const untilTomorrow = () => dayMs - (now() % dayMs);

  async function before(start: OperationStart): Promise<void> {
    try {
      await admit(start);
    } catch (error) {
      // Only the limit store being down is an outage; a refusal, or a bug in a `limits` lookup, is not.
      if (!LimitStoreUnavailableError.isInstance(error) || !failOpen) throw error;
      report(error);
    }
  }

  async function after(event: OperationEvent): Promise<void> {
    try {
      await charge(event);
    } catch (error) {
      reservations.delete(event.operationId);
      if (!LimitStoreUnavailableError.isInstance(error)) throw error;
      // The operation already happened: failing it now would only make the client repeat it.
      report(error);
    }
  }

  async function admit(start: OperationStart): Promise<void> {
    const { tenant } = start;
    if (tenant === undefined || !tenantOperations.has(start.operation) || recounting.getStore()) return;
    const limits = limitsOf(tenant) ?? {};
    if (limits.requestsPerMinute !== undefined) {
      const result = await store.consume({ key: keys.requests(tenant), amount: 1, limit: limits.requestsPerMinute, windowMs: 60_000 });
      noteRateLimitWindow({ limit: limits.requestsPerMinute, remaining: result.allowed ? limits.requestsPerMinute - result.total : 0, resetInMs: result.resetInMs ?? 60_000 });
      if (!result.allowed) {
        throw new TenantLimitError('requestsPerMinute', `Tenant ${tenant} is over its limit of ${limits.requestsPerMinute} requests per minute.`, result.resetInMs ?? 60_000);
      }
    }
    if (limits.embeddingTokensPerDay !== undefined && (start.counts.texts ?? 0) > 0) {
      const used = await store.read(keys.tokens(tenant));
      if (used >= limits.embeddingTokensPerDay) {
        throw new TenantLimitError('embeddingTokensPerDay', `Tenant ${tenant} has used its ${limits.embeddingTokensPerDay} embedding tokens for today (UTC).`, untilTomorrow());
      }
    }
    if (limits.vectorsStored !== undefined && (start.operation === 'upsert' || start.operation === 'ingest')) {
      const records = start.counts.records ?? 0;
      const result = await store.consume({ key: keys.stored(tenant), amount: records, limit: limits.vectorsStored });
      if (!result.allowed) {
        // Waiting frees nothing here; an hour is a polite pause before asking again.
        throw new TenantLimitError('vectorsStored', `Tenant ${tenant} would pass its quota of ${limits.vectorsStored} stored vectors; delete records or raise the quota.`, 3_600_000);
      }
      reservations.set(start.operationId, { tenant, records });
    }
  }

  async function charge(event: OperationEvent): Promise<void> {
    const reservation = reservations.get(event.operationId);
    reservations.delete(event.operationId);
    // Refused operations wrote nothing. Failed ones may have written part: the count stays high.
    if (reservation !== undefined && event.outcome === 'rejected') {
      await store.add({ key: keys.stored(reservation.tenant), amount: -reservation.records });
    }
    const { tenant } = event;
    if (tenant === undefined || recounting.getStore()) return;
    const tokens = event.usage?.embeddingTokens ?? 0;
    if (tokens > 0) await store.add({ key: keys.tokens(tenant), amount: tokens, windowMs: untilTomorrow() + 3_600_000 });
    if (event.outcome !== 'ok') return;
    if (event.operation === 'dropTenant') await store.write(keys.stored(tenant), 0);
    if (event.operation === 'delete' && settings.countStored !== undefined) {
      const count = settings.countStored;
      let records: number;
      try {
        records = await recounting.run(true, () => count(tenant));
      } catch (error) {
        // The vector store failed, not the limit store: the delete succeeded, and a failed
        // recount only leaves the count high until the next one.
        console.error('tenantvec guardrails: recounting stored vectors failed', error);
        return;
      }
      await store.write(keys.stored(tenant), records);
    }
  }

  return {
    beforeOperation: before,
    afterOperation: after,
    async usage(tenant) {
      const [requestsThisMinute, embeddingTokensToday, vectorsStored] = await Promise.all([
        store.read(keys.requests(tenant)), store.read(keys.tokens(tenant)), store.read(keys.stored(tenant)),
      ]);
      return { requestsThisMinute, embeddingTokensToday, vectorsStored };
    },
    syncStored: (tenant, records) => store.write(keys.stored(tenant), records),
  };
}

/** Any failure of a limit store, typed: a custom store's own errors are kept as the cause. */
function asUnavailable(error: unknown): LimitStoreUnavailableError {
  return LimitStoreUnavailableError.isInstance(error) ? error : new LimitStoreUnavailableError('The rate-limit store failed.', { cause: error });
}

/**
 * The store with every failure typed where it happens, so that only the limit store's own
 * failures count as an outage: fail-open must never let a request pass on some other error.
 */
function limitStoreFailuresTyped(store: LimitStore): LimitStore {
  const typed = <T>(call: () => Promise<T>): Promise<T> => {
    try {
      return call().catch((error: unknown) => Promise.reject(asUnavailable(error)));
    } catch (error) {
      return Promise.reject(asUnavailable(error));
    }
  };
  return {
    consume: (params) => typed(() => store.consume(params)),
    add: (params) => typed(() => store.add(params)),
    read: (key) => typed(() => store.read(key)),
    write: (key, value) => typed(() => store.write(key, value)),
  };
}

/** An outage fails every request: one line a minute says so without flooding the log. */
function throttledWarning(): (error: LimitStoreUnavailableError) => void {
  let lastAt = Number.NEGATIVE_INFINITY;
  return (error) => {
    if (Date.now() - lastAt < 60_000) return;
    lastAt = Date.now();
    console.warn(`tenantvec guardrails: ${error.message} (${String((error.cause as Error | undefined)?.message ?? 'no cause')})`);
  };
}
