import type { FilterNode, Metadata, MetadataScalar, MetadataValue } from './filter-types.js';

function equals(stored: MetadataValue | undefined, value: MetadataScalar): boolean {
  if (stored === undefined) return false;
  if (Array.isArray(stored)) return stored.includes(value as string);
  return stored === value;
}

/** The reference semantics of the filter language; every backend translator must agree with it. */
export function matchesFilter(node: FilterNode | undefined, metadata: Metadata): boolean {
  if (node === undefined) return true;
  switch (node.kind) {
    case 'and':
      return node.children.every((child) => matchesFilter(child, metadata));
    case 'or':
      return node.children.some((child) => matchesFilter(child, metadata));
    case 'not':
      return !matchesFilter(node.child, metadata);
    case 'eq':
      return equals(metadata[node.field], node.value);
    case 'ne':
      return !equals(metadata[node.field], node.value);
    case 'in':
      return node.values.some((value) => equals(metadata[node.field], value));
    case 'nin':
      return !node.values.some((value) => equals(metadata[node.field], value));
    case 'exists':
      return (metadata[node.field] !== undefined) === node.exists;
    default: {
      const stored = metadata[node.field];
      if (typeof stored !== 'number') return false;
      if (node.kind === 'gt') return stored > node.value;
      if (node.kind === 'gte') return stored >= node.value;
      if (node.kind === 'lt') return stored < node.value;
      return stored <= node.value;
    }
  }
}
