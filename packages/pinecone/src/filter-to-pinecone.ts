import type { FilterNode, MetadataScalar, ScopeConstraint } from '@tenantvec/core/backend';
import { systemField } from './system-fields.js';

/** A Pinecone metadata filter: `{ field: { $op: value } }`, `$and`, `$or`. */
export type PineconeFilter = Record<string, unknown>;

const opposite = { gt: '$lte', gte: '$lt', lt: '$gte', lte: '$gt' } as const;

/** Pinecone's `$in`/`$nin` take strings and numbers only; booleans go through `$eq`/`$ne`. */
function listable(values: readonly MetadataScalar[]): values is readonly (string | number)[] {
  return values.every((value) => typeof value !== 'boolean');
}

function missing(field: string): PineconeFilter {
  return { [field]: { $exists: false } };
}

/**
 * Core's `ne` holds on records without the field; Pinecone's `$ne` is only promised on records
 * that have it, so the missing case is spelled out.
 */
function notEqual(field: string, value: MetadataScalar): PineconeFilter {
  return { $or: [{ [field]: { $ne: value } }, missing(field)] };
}

/** True where the field is absent or holds anything but a number. */
function notNumeric(field: string): PineconeFilter {
  return { $or: [{ [systemField.numericKeys]: { $nin: [field] } }, missing(systemField.numericKeys)] };
}

/** Matches every record tenantvec wrote: fetch-by-metadata needs some filter. */
export const everyRecord: PineconeFilter = { [systemField.recordId]: { $exists: true } };

/** Matches no record tenantvec wrote: each one holds its record id. */
const noRecord: PineconeFilter = { [systemField.recordId]: { $exists: false } };

/**
 * Translates core's filter into Pinecone's operators. Pinecone has no `$not`, so negations are
 * pushed down to the leaves (De Morgan), keeping core's semantics exactly: a negated comparison
 * also holds where the field is missing, and a negated range where the value is not a number.
 */
export function filterToPinecone(node: FilterNode, negated = false): PineconeFilter {
  const translated = translate(node, negated);
  if (translated === true) return everyRecord;
  if (translated === false) return noRecord;
  return translated;
}

/**
 * `true` and `false` stand for an empty `$and` and an empty `$or` (core's `{}` inside `$or` or
 * `$and`): Pinecone refuses empty lists, so constants are folded away before they reach it.
 */
function translate(node: FilterNode, negated: boolean): PineconeFilter | boolean {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const conjunction = (node.kind === 'and') !== negated;
      const children: PineconeFilter[] = [];
      for (const child of node.children) {
        const translated = translate(child, negated);
        // true is neutral in a conjunction and decides a disjunction; false the other way round.
        if (translated === conjunction) continue;
        if (typeof translated === 'boolean') return translated;
        children.push(translated);
      }
      if (children.length === 0) return conjunction;
      return children.length === 1 ? children[0]! : { [conjunction ? '$and' : '$or']: children };
    }
    case 'not':
      return translate(node.child, !negated);
    case 'eq':
      return negated ? notEqual(node.field, node.value) : { [node.field]: { $eq: node.value } };
    case 'ne':
      return negated ? { [node.field]: { $eq: node.value } } : notEqual(node.field, node.value);
    case 'in':
      return negated ? notIn(node.field, node.values) : isIn(node.field, node.values);
    case 'nin':
      return negated ? isIn(node.field, node.values) : notIn(node.field, node.values);
    case 'exists':
      return { [node.field]: { $exists: node.exists !== negated } };
    default: {
      if (!negated) return { [node.field]: { [`$${node.kind}`]: node.value } };
      return { $or: [{ [node.field]: { [opposite[node.kind]]: node.value } }, notNumeric(node.field)] };
    }
  }
}

function isIn(field: string, values: readonly MetadataScalar[]): PineconeFilter {
  if (listable(values)) return { [field]: { $in: [...values] } };
  return { $or: values.map((value) => ({ [field]: { $eq: value } })) };
}

function notIn(field: string, values: readonly MetadataScalar[]): PineconeFilter {
  if (listable(values)) return { $or: [{ [field]: { $nin: [...values] } }, missing(field)] };
  return { $and: values.map((value) => notEqual(field, value)) };
}

/**
 * The scope's walls ANDed with the caller's filter. The walls are separate clauses of one
 * `$and`, never merged into the caller's objects, so no caller key can replace them.
 */
export function scopedFilter(scope: ScopeConstraint, filter: FilterNode | undefined): PineconeFilter | undefined {
  const clauses: PineconeFilter[] = [];
  if (scope.tenant !== undefined) clauses.push({ [systemField.tenant]: { $eq: scope.tenant } });
  if (scope.sourcePrefix !== undefined) clauses.push({ [systemField.sourceAncestors]: { $in: [scope.sourcePrefix] } });
  if (filter !== undefined) clauses.push(filterToPinecone(filter));
  if (clauses.length === 0) return undefined;
  return clauses.length === 1 ? clauses[0] : { $and: clauses };
}
