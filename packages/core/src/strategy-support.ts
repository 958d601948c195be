import type { StrategyContext } from './isolation-strategy.js';
import type { NameRules } from './physical-name.js';

/**
 * Pieces the four strategies share, so each strategy file holds only what makes it different.
 */

/** The store's name, spelled for a backend's name rules. */
export function baseNameFor(context: StrategyContext, rules: NameRules): string {
  const base = context.baseName.replaceAll('_', rules.separator);
  return rules.letterCase === 'lower' ? base.toLowerCase() : base;
}

/** Name of a collection every tenant shares; `purpose` keeps strategies on one database apart. */
export function sharedCollectionName(context: StrategyContext, purpose: 'shared' | 'paths' | 'partitioned'): string {
  const rules = context.backend.capabilities.collectionNames;
  return `${baseNameFor(context, rules)}${rules.separator}${purpose}`;
}

/**
 * Physical id of a record in a location several tenants share. Tenant ids cannot contain ':',
 * so the first ':' always ends the tenant and two (tenant, id) pairs never meet.
 */
export function sharedPhysicalId(tenantId: string, recordId: string): string {
  return `${tenantId}:${recordId}`;
}

/** Sorted, de-duplicated tenant ids after `after`, at most `limit` of them. */
export function pageOfTenants(tenants: Iterable<string | undefined>, after: string | undefined, limit: number): string[] {
  const unique = new Set<string>();
  for (const tenant of tenants) {
    if (tenant !== undefined && (after === undefined || tenant > after)) unique.add(tenant);
  }
  return [...unique].sort().slice(0, limit);
}

/** Physical and tenant sources are the same where a location belongs to one tenant. */
export const unchangedSource = (source: string | undefined): string | undefined => source;
export const unchangedId = (recordId: string): string => recordId;
