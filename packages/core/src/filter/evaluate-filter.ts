import type { FilterNode, Metadata, MetadataScalar, MetadataValue } from './filter-types.js';

function equals(stored: MetadataValue | undefined, value: MetadataScalar): boolean {
  if (stored === undefined) return false;
  if (Array.isArray(stored)) return stored.includes(value as string);
  return stored === value;
}

/**
 * A record's own field only: `constructor`, `toString` and the like live on every object's
 * prototype, and a field a record never stored must read as absent, as it does on every backend.
 */
function fieldOf(metadata: Metadata, field: string): MetadataValue | undefined {
  return Object.hasOwn(metadata, field) ? metadata[field] : undefined;
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
      return equals(fieldOf(metadata, node.field), node.value);
    case 'ne':
      return !equals(fieldOf(metadata, node.field), node.value);
    case 'in':
      return node.values.some((value) => equals(fieldOf(metadata, node.field), value));
    case 'nin':
      return !node.values.some((value) => equals(fieldOf(metadata, node.field), value));
    case 'exists':
      return (fieldOf(metadata, node.field) !== undefined) === node.exists;
    default: {
      const stored = fieldOf(metadata, node.field);
      if (typeof stored !== 'number') return false;
      if (node.kind === 'gt') return stored > node.value;
      if (node.kind === 'gte') return stored >= node.value;
      if (node.kind === 'lt') return stored < node.value;
      return stored <= node.value;
    }
  }
}
