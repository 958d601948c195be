import type { BackendCapabilities, Location, ScopeConstraint, VectorBackend } from './vector-backend.js';
import type { Metric } from './similarity.js';

export const ISOLATION_STRATEGY_CONTRACT_VERSION = 1 as const;

export type StrategyType = 'collection-per-tenant' | 'namespace-per-tenant' | 'metadata-filter' | 'source-prefix';

/** What a strategy works with; the store builds it once. */
export interface StrategyContext {
  backend: VectorBackend;
  dimension: number;
  metric: Metric;
  /** Prefix of every physical name this store creates, so several stores can share a database. */
  baseName: string;
}

/** Where one tenant's records live and how its records are written. Pure: computing it does no I/O. */
export interface TenantPlacement {
  location: Location;
  /** The walls of the whole tenant; a narrower scope adds a source prefix within them. */
  scope: ScopeConstraint;
  /** The tenant field written on each record, in shared collections. */
  tenantField?: string;
  /** Physical id of a tenant's record id: unique across tenants wherever the location is shared. */
  physicalId(recordId: string): string;
  /** Physical source path of a tenant-relative source (or of none). */
  physicalSource(source: string | undefined): string | undefined;
  /** The tenant-relative source of a stored record. */
  tenantSource(physical: string | undefined): string | undefined;
}

/** Version 1 of an isolation strategy: which backend primitive keeps tenants apart. */
export interface IsolationStrategy {
  readonly contractVersion: typeof ISOLATION_STRATEGY_CONTRACT_VERSION;
  readonly type: StrategyType;
  /** Why this strategy cannot run on a backend with these capabilities; empty when it can. */
  unmetRequirements(capabilities: BackendCapabilities): string[];
  /** Creates what all tenants share (a shared collection), once per store. */
  prepare(context: StrategyContext): Promise<void>;
  place(context: StrategyContext, tenantId: string): TenantPlacement;
  /** Creates the tenant's own storage when it has any (idempotent). */
  onboard(context: StrategyContext, tenantId: string): Promise<void>;
  /** Removes everything of one tenant, and nothing else. */
  offboard(context: StrategyContext, tenantId: string): Promise<void>;
  /** Tenant ids, sorted, after `after`. */
  listTenants(context: StrategyContext, params: { after?: string; limit: number }): Promise<string[]>;
}
