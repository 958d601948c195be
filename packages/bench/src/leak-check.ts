import { ownerOf } from './workload.js';

/**
 * Results that belong to a tenant other than the one that asked. Every result's id names its
 * owner (see `recordId`); an id the bench never wrote counts as foreign too, since nothing in
 * the asking tenant's scope could carry it.
 */
export function foreignResults(askingTenant: number, returnedIds: readonly string[]): string[] {
  return returnedIds.filter((id) => ownerOf(id)?.tenant !== askingTenant);
}
