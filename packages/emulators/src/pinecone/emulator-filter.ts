/**
 * Pinecone's metadata filter language, validated and evaluated the way the emulator's header
 * describes: `$eq $ne $gt $gte $lt $lte $in $nin $exists $and $or`, no `$not`. List-valued
 * fields match `$eq`/`$in` when any element matches, `$ne`/`$nin` when none does. The emulator
 * takes the strict reading wherever Pinecone's documentation is silent: `$ne` and `$nin` do not
 * match a record that lacks the field, and comparisons are type-strict.
 */
export type StoredMetadata = Record<string, string | number | boolean | string[]>;

const operators = new Set(['$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists']);

const isScalar = (value: unknown): value is string | number | boolean =>
  typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value));

/** Why a filter is not one Pinecone accepts, or undefined when it is. */
export function filterProblem(filter: unknown, depth = 0): string | undefined {
  if (typeof filter !== 'object' || filter === null || Array.isArray(filter)) return 'filter must be an object';
  if (depth > 20) return 'filter is nested too deeply';
  const entries = Object.entries(filter);
  if (entries.length === 0) return 'filter objects must not be empty';
  for (const [key, value] of entries) {
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(value) || value.length === 0) return `${key} takes a non-empty array of filters`;
      for (const child of value) {
        const problem = filterProblem(child, depth + 1);
        if (problem !== undefined) return problem;
      }
      continue;
    }
    if (key.startsWith('$')) return `unsupported operator ${key}`;
    if (isScalar(value)) continue;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return `invalid value for field ${key}`;
    const conditions = Object.entries(value);
    if (conditions.length === 0) return `empty condition for field ${key}`;
    for (const [operator, operand] of conditions) {
      if (!operators.has(operator)) return `unsupported operator ${operator}`;
      if ((operator === '$eq' || operator === '$ne') && !isScalar(operand)) return `${operator} takes a string, number or boolean`;
      if (['$gt', '$gte', '$lt', '$lte'].includes(operator) && (typeof operand !== 'number' || !Number.isFinite(operand))) {
        return `${operator} takes a number`;
      }
      if (operator === '$in' || operator === '$nin') {
        if (!Array.isArray(operand) || operand.length === 0 || operand.length > 10_000) return `${operator} takes a non-empty array`;
        if (!operand.every((item) => typeof item === 'string' || (typeof item === 'number' && Number.isFinite(item)))) {
          return `${operator} takes strings or numbers`;
        }
      }
      if (operator === '$exists' && typeof operand !== 'boolean') return '$exists takes a boolean';
    }
  }
  return undefined;
}

function equals(stored: StoredMetadata[string] | undefined, value: unknown): boolean {
  if (stored === undefined) return false;
  if (Array.isArray(stored)) return stored.includes(value as string);
  return stored === value;
}

function condition(stored: StoredMetadata[string] | undefined, operator: string, operand: unknown): boolean {
  switch (operator) {
    case '$eq':
      return equals(stored, operand);
    case '$ne':
      return stored !== undefined && !equals(stored, operand);
    case '$in':
      return (operand as unknown[]).some((value) => equals(stored, value));
    case '$nin':
      return stored !== undefined && !(operand as unknown[]).some((value) => equals(stored, value));
    case '$exists':
      return (stored !== undefined) === operand;
    default: {
      if (typeof stored !== 'number') return false;
      const bound = operand as number;
      if (operator === '$gt') return stored > bound;
      if (operator === '$gte') return stored >= bound;
      if (operator === '$lt') return stored < bound;
      return stored <= bound;
    }
  }
}

/** Whether a record's metadata passes a filter that `filterProblem` accepted. */
export function matchesPineconeFilter(filter: Record<string, unknown> | undefined, metadata: StoredMetadata): boolean {
  if (filter === undefined) return true;
  return Object.entries(filter).every(([key, value]) => {
    if (key === '$and') return (value as Record<string, unknown>[]).every((child) => matchesPineconeFilter(child, metadata));
    if (key === '$or') return (value as Record<string, unknown>[]).some((child) => matchesPineconeFilter(child, metadata));
    // Only the vector's own fields: Pinecone metadata has no inherited 'constructor'.
    const stored = Object.hasOwn(metadata, key) ? metadata[key] : undefined;
    if (isScalar(value)) return equals(stored, value);
    return Object.entries(value as Record<string, unknown>).every(([operator, operand]) => condition(stored, operator, operand));
  });
}
