import { sourceRoot, type FilterNode, type ScopeConstraint } from '@tenantvec/core/backend';
import { filterToSql } from './filter-to-sql.js';
import type { SqlParameters } from './sql-parameters.js';
import type { Target } from './table-layout.js';

/** The tenant key a scope confines a shared table to; '' for tables that are not shared. */
export function scopeKey(target: Target, scope: ScopeConstraint): string | undefined {
  if (target.keyColumn === 'tenant') return scope.tenant;
  if (target.keyColumn === 'source_root') return scope.sourcePrefix === undefined ? undefined : sourceRoot(scope.sourcePrefix);
  return '';
}

/** The walls of the scope ANDed with the caller's filter — never merged into it. */
export function scopeConditions(target: Target, scope: ScopeConstraint, filter: FilterNode | undefined, parameters: SqlParameters): string[] {
  const conditions = ['true'];
  if (scope.tenant !== undefined) {
    // A table without a tenant column holds no record of any tenant field value.
    conditions.push(target.keyColumn === 'tenant' ? `tenant = ${parameters.add(scope.tenant)}` : 'false');
  }
  if (scope.sourcePrefix !== undefined) {
    const prefix = scope.sourcePrefix;
    if (target.keyColumn === 'source_root') conditions.push(`source_root = ${parameters.add(sourceRoot(prefix))}`);
    // Segment-wise and exact: the folder itself, or anything in the byte range of 'prefix/',
    // which under COLLATE "C" is exactly [prefix + '/', prefix + '0'). No wildcard exists.
    conditions.push(`(source = ${parameters.add(prefix)} OR (source >= ${parameters.add(`${prefix}/`)} AND source < ${parameters.add(`${prefix}0`)}))`);
  }
  if (filter !== undefined) conditions.push(filterToSql(filter, parameters));
  return conditions;
}
