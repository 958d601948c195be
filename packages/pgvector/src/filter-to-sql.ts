import type { MetadataScalar } from '@tenantvec/core';
import { type FilterNode } from '@tenantvec/core/backend';
import type { ParameterSink } from './sql-parameters.js';

/**
 * Translates the filter AST into a boolean SQL expression over the `metadata jsonb` column.
 * Field names and values are always bound parameters. Every leaf is made two-valued (never
 * NULL), so `NOT` and the negating operators keep the reference semantics: a record without the
 * field satisfies `ne` and `nin`.
 */
export function filterToSql(node: FilterNode, parameters: ParameterSink): string {
  switch (node.kind) {
    case 'and':
      return node.children.length === 0 ? 'true' : `(${node.children.map((child) => filterToSql(child, parameters)).join(' AND ')})`;
    case 'or':
      return node.children.length === 0 ? 'false' : `(${node.children.map((child) => filterToSql(child, parameters)).join(' OR ')})`;
    case 'not':
      return `(NOT ${filterToSql(node.child, parameters)})`;
    case 'eq':
      return equalsAny(node.field, [node.value], parameters);
    case 'ne':
      return `(NOT ${equalsAny(node.field, [node.value], parameters)})`;
    case 'in':
      return equalsAny(node.field, node.values, parameters);
    case 'nin':
      return `(NOT ${equalsAny(node.field, node.values, parameters)})`;
    case 'exists':
      return `(jsonb_exists(metadata, ${parameters.add(node.field)}::text) = ${node.exists ? 'true' : 'false'})`;
    default:
      return range(node.field, node.kind, node.value, parameters);
  }
}

/**
 * The field equals one of the values by JSON type and value (jsonb equality is type-strict:
 * 1 never equals "1"), or is a list holding one of the string values.
 */
function equalsAny(field: string, values: readonly MetadataScalar[], parameters: ParameterSink): string {
  if (values.length === 0) return 'false';
  const value = `(metadata -> ${parameters.add(field)}::text)`;
  const asJson = values.map((item) => JSON.stringify(item));
  const strings = values.filter((item): item is string => typeof item === 'string');
  const scalar = `COALESCE(${value} = ANY(${parameters.add(asJson)}::jsonb[]), false)`;
  if (strings.length === 0) return `(${scalar})`;
  // jsonb_exists_any on an array tests its string elements only, which is exactly list membership.
  const listed = `(CASE WHEN jsonb_typeof(${value}) = 'array' THEN jsonb_exists_any(${value}, ${parameters.add(strings)}::text[]) ELSE false END)`;
  return `(${scalar} OR ${listed})`;
}

const comparisons = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

/**
 * Range operators hold only on numbers. CASE guarantees the cast runs only on numbers; the
 * comparison is in `numeric`, where JavaScript's shortest round-trip decimals keep their order.
 */
function range(field: string, kind: keyof typeof comparisons, bound: number, parameters: ParameterSink): string {
  const value = `(metadata -> ${parameters.add(field)}::text)`;
  return `(CASE WHEN jsonb_typeof(${value}) = 'number' THEN (${value} #>> '{}')::numeric ${comparisons[kind]} ${parameters.add(String(bound))}::numeric ELSE false END)`;
}
