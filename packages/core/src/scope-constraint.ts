import { isWithinSource } from './source-path.js';
import type { ScopeConstraint, StoredRecord } from './vector-backend.js';

/** Whether a stored record lies inside the walls of a scope: the rule every backend implements. */
export function isInScope(record: Pick<StoredRecord, 'tenant' | 'source'>, scope: ScopeConstraint): boolean {
  if (scope.tenant !== undefined && record.tenant !== scope.tenant) return false;
  if (scope.sourcePrefix !== undefined && !isWithinSource(record.source, scope.sourcePrefix)) return false;
  return true;
}

/** The first segment of a source path, which names the tenant under source-prefix scoping. */
export function sourceRoot(source: string | undefined): string | undefined {
  if (source === undefined) return undefined;
  const slash = source.indexOf('/');
  return slash === -1 ? source : source.slice(0, slash);
}
