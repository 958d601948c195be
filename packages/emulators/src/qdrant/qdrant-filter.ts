import type { ConditionShape, FilterShape } from './request-schemas.js';

/**
 * Qdrant's filter semantics, written for the emulator from Qdrant's filtering docs:
 * - `must`: every condition; `should`: at least one (when any are given); `must_not`: none;
 *   `min_should`: at least `min_count` of its conditions;
 * - a key is a dotted path into the payload; when the value there is a list, a condition holds
 *   when it holds for any element;
 * - `match.value` compares by type (string, integer, bool); `range` holds only on numbers;
 * - `is_empty` holds for a missing key, null or `[]`; `is_null` for an explicit null.
 */

export interface PointView {
  id: string | number;
  payload: Record<string, unknown>;
}

/** The values at a dotted path, lists flattened; empty when the path is missing. */
export function valuesAt(payload: Record<string, unknown>, key: string): unknown[] {
  let current: unknown = payload;
  for (const part of key.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return [];
    current = (current as Record<string, unknown>)[part];
  }
  if (current === undefined) return [];
  return Array.isArray(current) ? current : [current];
}

function rawAt(payload: Record<string, unknown>, key: string): unknown {
  let current: unknown = payload;
  for (const part of key.split('.')) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    current = (current as Record<string, unknown>)[part];
  }
  return current;
}

function list(conditions: ConditionShape | ConditionShape[] | null | undefined): ConditionShape[] {
  if (conditions == null) return [];
  return Array.isArray(conditions) ? conditions : [conditions];
}

const sameValue = (stored: unknown, wanted: unknown) =>
  typeof stored === typeof wanted && stored === wanted && (typeof wanted !== 'number' || Number.isInteger(stored));

function holds(condition: ConditionShape, point: PointView): boolean {
  if ('has_id' in condition && Array.isArray(condition.has_id)) {
    return condition.has_id.some((id) => canonicalId(id) === canonicalId(point.id));
  }
  if ('key' in condition && typeof condition.key === 'string') {
    const values = valuesAt(point.payload, condition.key);
    if (condition.match != null) {
      const { match } = condition;
      if ('value' in match) return values.some((value) => sameValue(value, match.value));
      if ('any' in match) return values.some((value) => (match.any as unknown[]).some((wanted) => sameValue(value, wanted)));
      return !values.some((value) => (match.except as unknown[]).some((wanted) => sameValue(value, wanted)));
    }
    if (condition.range != null) {
      const { lt, gt, gte, lte } = condition.range;
      return values.some((value) => typeof value === 'number'
        && (lt == null || value < lt) && (gt == null || value > gt) && (gte == null || value >= gte) && (lte == null || value <= lte));
    }
    if (condition.is_empty != null) return (values.filter((value) => value !== null).length === 0) === condition.is_empty;
    return (rawAt(point.payload, condition.key) === null) === condition.is_null;
  }
  if ('is_empty' in condition && typeof condition.is_empty === 'object' && condition.is_empty !== null) {
    return valuesAt(point.payload, condition.is_empty.key).filter((value) => value !== null).length === 0;
  }
  if ('is_null' in condition && typeof condition.is_null === 'object' && condition.is_null !== null) {
    return rawAt(point.payload, condition.is_null.key) === null;
  }
  return matchesQdrantFilter(condition as FilterShape, point);
}

export function matchesQdrantFilter(filter: FilterShape | null | undefined, point: PointView): boolean {
  if (filter == null) return true;
  const should = list(filter.should);
  if (!list(filter.must).every((condition) => holds(condition, point))) return false;
  if (should.length > 0 && !should.some((condition) => holds(condition, point))) return false;
  if (list(filter.must_not).some((condition) => holds(condition, point))) return false;
  if (filter.min_should != null) {
    const met = filter.min_should.conditions.filter((condition) => holds(condition, point)).length;
    if (met < filter.min_should.min_count) return false;
  }
  return true;
}

/** Point ids as Qdrant keeps them: integers as numbers, UUIDs hyphenated lowercase. */
export function canonicalId(id: string | number): string | number {
  if (typeof id === 'number') return id;
  const hex = id.replaceAll('-', '').toLowerCase();
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Qdrant's scroll order: integer ids first, ascending, then UUIDs as 128-bit numbers. */
export function compareIds(left: string | number, right: string | number): number {
  if (typeof left === 'number' && typeof right === 'number') return left - right;
  if (typeof left === 'number') return -1;
  if (typeof right === 'number') return 1;
  return left < right ? -1 : left > right ? 1 : 0;
}
