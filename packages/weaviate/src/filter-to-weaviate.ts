import type { FilterNode, MetadataScalar, ScopeConstraint } from '@tenantvec/core/backend';
import weaviate, { Filters, type FilterValue } from 'weaviate-client';
import { kindOf, metadataProperty, systemProperties, type MetadataKind } from './weaviate-names.js';

/**
 * Translates core's filter AST into a Weaviate filter, to the reference semantics:
 * - each metadata key lives in one property per value kind (see `metadataProperty`), so `eq` on
 *   a string reads the text property and, as "contains", the list property; `1` never meets `'1'`;
 * - integers and other numbers live in separate `int` and `number` properties, and every value
 *   sent fits its property's type (Weaviate refuses `valueInt` on a `number` property);
 * - `ne` and `nin` are Weaviate `Not` (1.33+) over the positive form, so records without the key
 *   pass them, as in core;
 * - `exists` reads `tv_keys`, the list of keys a record holds (an empty list still exists);
 * - a leaf on a property the collection does not have yet matches nothing, and is folded away
 *   here: Weaviate refuses filters on unknown properties.
 * The result is a filter, or `true` (no constraint) / `false` (nothing can match).
 */
export type Translated = FilterValue | boolean;

const property = (name: string) => weaviate.filter.byProperty(name);

export function and(...parts: Translated[]): Translated {
  if (parts.includes(false)) return false;
  const rest = parts.filter((part): part is FilterValue => part !== true);
  if (rest.length === 0) return true;
  return rest.length === 1 ? rest[0]! : Filters.and(...rest);
}

export function or(...parts: Translated[]): Translated {
  if (parts.includes(true)) return true;
  const rest = parts.filter((part): part is FilterValue => part !== false);
  if (rest.length === 0) return false;
  return rest.length === 1 ? rest[0]! : Filters.or(...rest);
}

export function not(part: Translated): Translated {
  return typeof part === 'boolean' ? !part : Filters.not(part);
}

/** The next double above `value`; non-integer for every integer of magnitude below 2^52. */
export function nextUp(value: number): number {
  if (value === 0) return Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, value);
  const bits = view.getBigUint64(0);
  view.setBigUint64(0, value > 0 ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

const nextDown = (value: number) => -nextUp(-value);
/** Non-integers all lie strictly inside ±2^52; this is the outermost of them. */
const LARGEST_FRACTION = 2 ** 52 - 0.5;
type Range = 'gt' | 'gte' | 'lt' | 'lte';
const rangeOf = (range: Range, name: string, value: number): FilterValue => {
  const target = property(name);
  if (range === 'gt') return target.greaterThan(value);
  if (range === 'gte') return target.greaterOrEqual(value);
  if (range === 'lt') return target.lessThan(value);
  return target.lessOrEqual(value);
};

/**
 * A range over both numeric properties. Bounds are rewritten to the property's own value type
 * without changing which values pass: on the `int` property, `> 2.5` is `>= 3`; on the `number`
 * property (non-integers only), `>= 3` is `>= nextUp(3)`, a non-integer with no value between.
 */
function numericRange(range: Range, field: string, bound: number, has: (name: string) => boolean): Translated {
  const upward = range === 'gt' || range === 'gte';
  const integerName = metadataProperty(field, 'integer');
  let integerPart: Translated = false;
  if (has(integerName)) {
    if (Number.isSafeInteger(bound)) integerPart = rangeOf(range, integerName, bound);
    else if (Number.isInteger(bound)) integerPart = upward === bound < 0 && rangeOf(upward ? 'gte' : 'lte', integerName, upward ? -Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER);
    else integerPart = upward ? rangeOf('gte', integerName, Math.ceil(bound)) : rangeOf('lte', integerName, Math.floor(bound));
  }
  const numberName = metadataProperty(field, 'number');
  let numberPart: Translated = false;
  if (has(numberName)) {
    if (!Number.isInteger(bound)) numberPart = rangeOf(range, numberName, bound);
    else if (Math.abs(bound) < 2 ** 52) numberPart = upward ? rangeOf('gte', numberName, nextUp(bound)) : rangeOf('lte', numberName, nextDown(bound));
    else numberPart = upward === bound < 0 && rangeOf(upward ? 'gte' : 'lte', numberName, upward ? -LARGEST_FRACTION : LARGEST_FRACTION);
  }
  return or(integerPart, numberPart);
}

function equals(field: string, value: MetadataScalar, has: (name: string) => boolean): Translated {
  const kind: MetadataKind = kindOf(value);
  // Unsafe integers are never written (see the backend), so nothing can equal one.
  if (kind === 'integer' && !Number.isSafeInteger(value)) return false;
  const scalar = metadataProperty(field, kind);
  const parts: Translated[] = [has(scalar) && property(scalar).equal(value as never)];
  if (kind === 'text') {
    const list = metadataProperty(field, 'list');
    parts.push(has(list) && property(list).containsAny([value as string]));
  }
  return or(...parts);
}

export function translateFilter(node: FilterNode, has: (name: string) => boolean): Translated {
  switch (node.kind) {
    case 'and':
      return and(...node.children.map((child) => translateFilter(child, has)));
    case 'or':
      return or(...node.children.map((child) => translateFilter(child, has)));
    case 'not':
      return not(translateFilter(node.child, has));
    case 'eq':
      return equals(node.field, node.value, has);
    case 'ne':
      return not(equals(node.field, node.value, has));
    case 'in':
      return or(...node.values.map((value) => equals(node.field, value, has)));
    case 'nin':
      return not(or(...node.values.map((value) => equals(node.field, value, has))));
    case 'exists': {
      const present = property(systemProperties.keys).containsAny([node.field]);
      return node.exists ? present : not(present);
    }
    default:
      return numericRange(node.kind, node.field, node.value, has);
  }
}

/** The walls of a scope as a filter: the tenant property and the exact source ancestor. */
export function scopeFilter(scope: ScopeConstraint): Translated {
  return and(
    scope.tenant === undefined ? true : property(systemProperties.tenant).equal(scope.tenant),
    scope.sourcePrefix === undefined ? true : property(systemProperties.sourceAncestors).containsAny([scope.sourcePrefix]),
  );
}

/** Every metadata property a filter may read, to refresh the cached schema when one is unknown. */
export function propertiesRead(node: FilterNode | undefined, into = new Set<string>()): Set<string> {
  if (node === undefined) return into;
  if (node.kind === 'and' || node.kind === 'or') node.children.forEach((child) => propertiesRead(child, into));
  else if (node.kind === 'not') propertiesRead(node.child, into);
  else if (node.kind !== 'exists') {
    for (const kind of ['text', 'integer', 'number', 'boolean', 'list'] as const) into.add(metadataProperty(node.field, kind));
  }
  return into;
}
