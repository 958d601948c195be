import type { OperationEvent, StoreHooks } from '@tenantvec/core';
import { embeddingCost, embeddingPrices, type PriceTable } from './embedding-prices.js';

/** What one tenant used in one operation, or a storage reading. */
export interface UsageRecord {
  tenant: string;
  at: Date;
  /** UTC month, `YYYY-MM`: the unit of the monthly roll-up. */
  month: string;
  operation: string;
  embeddingTokens: number;
  vectorsWritten: number;
  queries: number;
  /** Records held, for storage readings from `recordStorage`. */
  storedRecords?: number;
  /** US dollars for the embedding tokens; undefined when the model has no price. */
  embeddingCostUsd: number | undefined;
}

/** Where usage goes: a billing table, a queue, memory. May be async; failures propagate. */
export interface UsageSink {
  write(record: UsageRecord): void | Promise<void>;
}

export interface MeteringSettings {
  sink: UsageSink;
  /** The embedding model, to price its tokens (e.g. `text-embedding-3-small`). */
  embeddingModel?: string;
  /** Dollars per million tokens by model. @default embeddingPrices.perMillionTokens */
  prices?: PriceTable;
}

export interface MeteringHooks extends StoreHooks {
  /** Records how many records a tenant stores now (e.g. from `scope.count()` in a nightly job). */
  recordStorage(tenant: string, records: number, at?: Date): Promise<void>;
}

const monthOf = (at: Date) => at.toISOString().slice(0, 7);

/**
 * Meters each tenant's successful operations: embedding tokens as the embedder reported them,
 * vectors written, queries, and storage readings. Refused operations cost nothing and are
 * left to the audit log.
 */
export function meteringHooks(settings: MeteringSettings): MeteringHooks {
  const { sink } = settings;
  const prices = settings.prices ?? embeddingPrices.perMillionTokens;
  const costOf = (tokens: number) =>
    settings.embeddingModel === undefined ? undefined : embeddingCost(settings.embeddingModel, tokens, prices);
  return {
    async afterOperation(event: OperationEvent) {
      if (event.tenant === undefined) return;
      const embeddingTokens = event.usage?.embeddingTokens ?? 0;
      // Tokens are paid for even when the write after the embedding failed.
      if (event.outcome !== 'ok' && embeddingTokens === 0) return;
      const ok = event.outcome === 'ok';
      await sink.write({
        tenant: event.tenant,
        at: event.at,
        month: monthOf(event.at),
        operation: event.operation,
        embeddingTokens,
        vectorsWritten: ok && (event.operation === 'upsert' || event.operation === 'ingest') ? (event.counts.records ?? 0) : 0,
        queries: ok && event.operation === 'query' ? 1 : 0,
        embeddingCostUsd: costOf(embeddingTokens),
      });
    },
    async recordStorage(tenant, records, at = new Date()) {
      await sink.write({ tenant, at, month: monthOf(at), operation: 'storage', embeddingTokens: 0, vectorsWritten: 0, queries: 0, storedRecords: records, embeddingCostUsd: 0 });
    },
  };
}

/** One tenant's month. */
export interface MonthlyUsage {
  tenant: string;
  month: string;
  embeddingTokens: number;
  vectorsWritten: number;
  queries: number;
  /** The highest storage reading of the month; undefined without readings. */
  peakStoredRecords: number | undefined;
  /** The sum of priced tokens; `unpricedTokens` counts tokens no price applied to. */
  embeddingCostUsd: number;
  unpricedTokens: number;
}

/** Sums usage records per tenant and UTC month, sorted by month, then tenant. */
export function rollUpMonthly(records: Iterable<UsageRecord>): MonthlyUsage[] {
  const months = new Map<string, MonthlyUsage>();
  for (const record of records) {
    const key = `${record.month} ${record.tenant}`;
    let month = months.get(key);
    if (month === undefined) {
      month = { tenant: record.tenant, month: record.month, embeddingTokens: 0, vectorsWritten: 0, queries: 0, peakStoredRecords: undefined, embeddingCostUsd: 0, unpricedTokens: 0 };
      months.set(key, month);
    }
    month.embeddingTokens += record.embeddingTokens;
    month.vectorsWritten += record.vectorsWritten;
    month.queries += record.queries;
    if (record.storedRecords !== undefined) month.peakStoredRecords = Math.max(month.peakStoredRecords ?? 0, record.storedRecords);
    if (record.embeddingCostUsd === undefined) month.unpricedTokens += record.embeddingTokens;
    else month.embeddingCostUsd += record.embeddingCostUsd;
  }
  return [...months.values()].sort((a, b) => a.month.localeCompare(b.month) || a.tenant.localeCompare(b.tenant));
}

/** Keeps usage in memory, for tests, demos and a service's own usage endpoint. */
export function memoryUsageSink(): UsageSink & { readonly records: readonly UsageRecord[]; monthly(): MonthlyUsage[] } {
  const records: UsageRecord[] = [];
  return {
    records,
    write: (record) => void records.push(record),
    monthly: () => rollUpMonthly(records),
  };
}
