import type { FilterNode, MetadataScalar, ScopeConstraint } from '@tenantvec/core';
import weaviate, { Filters, type FilterValue } from 'weaviate-client';
import { kindOf, metadataProperty, systemProperties, type MetadataKind } from './weaviate-names.js';

/**
 * Translates core's filter AST into a Weaviate filter, to the reference semantics:
 * - each metadata key lives in one property per value kind (see `metadataProperty`), so `eq` on
 *   a string reads the text property and, as "contains", the list property; `1` never meets `'1'`;
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

function equals(field: string, value: MetadataScalar, has: (name: string) => boolean): Translated {
  const kind: MetadataKind = kindOf(value);
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
    default: {
      const name = metadataProperty(node.field, 'number');
      if (!has(name)) return false;
      const target = property(name);
      if (node.kind === 'gt') return target.greaterThan(node.value);
      if (node.kind === 'gte') return target.greaterOrEqual(node.value);
      if (node.kind === 'lt') return target.lessThan(node.value);
      return target.lessOrEqual(node.value);
    }
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
    for (const kind of ['text', 'number', 'boolean', 'list'] as const) into.add(metadataProperty(node.field, kind));
  }
  return into;
}
