import type { FilterNode, MetadataScalar, ScopeConstraint } from '@tenantvec/core/backend';
import type { Schemas } from '@qdrant/js-client-rest';
import { payloadKeys } from './record-payload.js';

type Condition = Schemas['Condition'];
type Filter = Schemas['Filter'];

function keyOf(field: string): string {
  return `${payloadKeys.metadata}.${field}`;
}

/**
 * Type-strict equality. Qdrant's `match.value` takes strings, integers and booleans but no
 * floats, and matches a list when any element matches; numbers therefore become a closed range,
 * which also holds only on numeric values, so the number 1 never meets the string '1'.
 */
function equals(field: string, value: MetadataScalar): Condition {
  if (typeof value === 'number') return { key: keyOf(field), range: { gte: value, lte: value } };
  return { key: keyOf(field), match: { value } };
}

function anyOf(field: string, values: readonly MetadataScalar[]): Condition {
  if (values.every((value) => typeof value === 'string')) return { key: keyOf(field), match: { any: [...values] as string[] } };
  return { should: values.map((value) => equals(field, value)) };
}

/**
 * Translates core's filter AST. Negations use `must_not`, which a point without the field
 * satisfies, as core's `ne`/`nin` require; `exists` reads the list of present metadata keys,
 * because Qdrant's `is_empty` also holds for an empty list, which core counts as present.
 */
export function filterToQdrant(node: FilterNode): Condition {
  switch (node.kind) {
    case 'and':
      return { must: node.children.map(filterToQdrant) };
    case 'or':
      return { should: node.children.map(filterToQdrant) };
    case 'not':
      return { must_not: [filterToQdrant(node.child)] };
    case 'eq':
      return equals(node.field, node.value);
    case 'ne':
      return { must_not: [equals(node.field, node.value)] };
    case 'in':
      return anyOf(node.field, node.values);
    case 'nin':
      return { must_not: [anyOf(node.field, node.values)] };
    case 'exists': {
      const present: Condition = { key: payloadKeys.metadataKeys, match: { value: node.field } };
      return node.exists ? present : { must_not: [present] };
    }
    default:
      return { key: keyOf(node.field), range: { [node.kind]: node.value } };
  }
}

/** The scope's walls as conditions on indexed keyword fields, matched exactly. */
export function scopeConditions(scope: ScopeConstraint): Condition[] {
  const conditions: Condition[] = [];
  if (scope.tenant !== undefined) conditions.push({ key: payloadKeys.tenant, match: { value: scope.tenant } });
  if (scope.sourcePrefix !== undefined) conditions.push({ key: payloadKeys.sourceAncestors, match: { value: scope.sourcePrefix } });
  return conditions;
}

/**
 * The scope's walls ANDed with the caller's filter (nested whole, never merged into), and any
 * extra conditions; undefined when there is nothing to filter on.
 */
export function scopedFilter(scope: ScopeConstraint, filter?: FilterNode, extra: Condition[] = []): Filter | undefined {
  const must = [...scopeConditions(scope), ...extra];
  if (filter !== undefined) must.push(filterToQdrant(filter));
  return must.length === 0 ? undefined : { must };
}
