import type { PropertySchema } from './class-schema.js';
import { tokenize } from './text-tokenizer.js';

/**
 * Evaluates the gRPC `Filters` message (weaviate.v1.Filters) against stored objects, with the
 * checks Weaviate 1.33 makes first: the property must exist and be filterable, the value type
 * must fit the property's data type, `IsNull` needs `indexNullState`, text range filters need a
 * text property. Text matching follows the property's tokenization (`field`: the whole value;
 * `word`: lowercase alphanumeric words, so `kb/a_c` matches `kb/a_c/doc` — an adapter that
 * forgets `tokenization: 'field'` fails exactness tests here as it would on Weaviate).
 */

export interface ProtoFilter {
  operator: number;
  on?: string[];
  filters?: ProtoFilter[];
  valueText?: string;
  valueInt?: number;
  valueBoolean?: boolean;
  valueNumber?: number;
  valueTextArray?: { values: string[] };
  valueIntArray?: { values: number[] };
  valueBooleanArray?: { values: boolean[] };
  valueNumberArray?: { values: number[] };
  valueGeo?: unknown;
  target?: { property?: string; singleTarget?: unknown; multiTarget?: unknown; count?: unknown };
}

export const Operator = {
  EQUAL: 1, NOT_EQUAL: 2, GREATER_THAN: 3, GREATER_THAN_EQUAL: 4, LESS_THAN: 5, LESS_THAN_EQUAL: 6,
  AND: 7, OR: 8, WITHIN_GEO_RANGE: 9, LIKE: 10, IS_NULL: 11, CONTAINS_ANY: 12, CONTAINS_ALL: 13, CONTAINS_NONE: 14, NOT: 15,
} as const;

export class FilterError extends Error {}

export interface FilterContext {
  className: string;
  properties: ReadonlyMap<string, PropertySchema>;
  indexNullState: boolean;
}

type Scalar = string | number | boolean;
/** Whether an object passes; `uuid` serves filters on Weaviate's internal `_id` property. */
export type Predicate = (properties: Readonly<Record<string, unknown>>, uuid: string) => boolean;

function likeToRegExp(pattern: string): RegExp {
  const escaped = pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*').replaceAll('?', '.');
  return new RegExp(`^${escaped}$`, 's');
}

type ValueKind = 'text' | 'int' | 'number' | 'boolean';
const valueFieldNames: Record<ValueKind, string> = { text: 'valueText', int: 'valueInt', number: 'valueNumber', boolean: 'valueBoolean' };

function filterValues(filter: ProtoFilter): { kind: ValueKind; values: Scalar[]; array: boolean } | undefined {
  if (filter.valueText !== undefined) return { kind: 'text', values: [filter.valueText], array: false };
  if (filter.valueInt !== undefined) return { kind: 'int', values: [filter.valueInt], array: false };
  if (filter.valueNumber !== undefined) return { kind: 'number', values: [filter.valueNumber], array: false };
  if (filter.valueBoolean !== undefined) return { kind: 'boolean', values: [filter.valueBoolean], array: false };
  if (filter.valueTextArray !== undefined) return { kind: 'text', values: filter.valueTextArray.values, array: true };
  if (filter.valueIntArray !== undefined) return { kind: 'int', values: filter.valueIntArray.values, array: true };
  if (filter.valueNumberArray !== undefined) return { kind: 'number', values: filter.valueNumberArray.values, array: true };
  if (filter.valueBooleanArray !== undefined) return { kind: 'boolean', values: filter.valueBooleanArray.values, array: true };
  return undefined;
}

/** The one value field Weaviate accepts per property type: `valueInt` never on `number`, and back. */
function kindOf(dataType: string): ValueKind | undefined {
  const base = dataType.replace('[]', '');
  return base === 'text' || base === 'int' || base === 'number' || base === 'boolean' ? base : undefined;
}

function storedList(value: unknown): Scalar[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? (value as Scalar[]) : [value as Scalar];
}

/** Weaviate's internal id property (filters.InternalPropID): what `Filters.byId()` targets. */
const INTERNAL_ID = '_id';

/** `_id` takes uuids as text, compared whole and case-insensitively. */
function idFilter(filter: ProtoFilter): Predicate {
  const given = filterValues(filter);
  if (given?.kind !== 'text') throw new FilterError(`filter on '${INTERNAL_ID}' needs "valueText" or "valueTextArray"`);
  const wanted = given.values.map((value) => String(value).toLowerCase());
  switch (filter.operator) {
    case Operator.EQUAL:
      return (_properties, uuid) => uuid === wanted[0];
    case Operator.NOT_EQUAL:
      return (_properties, uuid) => uuid !== wanted[0];
    case Operator.CONTAINS_ANY:
      return (_properties, uuid) => wanted.includes(uuid);
    case Operator.CONTAINS_NONE:
      return (_properties, uuid) => !wanted.includes(uuid);
    default:
      throw new FilterError(`operator ${filter.operator} on '${INTERNAL_ID}' is not supported by this emulator`);
  }
}

export function compileFilter(filter: ProtoFilter, context: FilterContext): Predicate {
  const { operator } = filter;
  if (operator === Operator.AND || operator === Operator.OR) {
    const children = (filter.filters ?? []).map((child) => compileFilter(child, context));
    if (children.length === 0) throw new FilterError(`${operator === Operator.AND ? 'And' : 'Or'} filter needs operands`);
    return operator === Operator.AND
      ? (properties, uuid) => children.every((child) => child(properties, uuid))
      : (properties, uuid) => children.some((child) => child(properties, uuid));
  }
  if (operator === Operator.NOT) {
    if (filter.filters?.length !== 1) throw new FilterError('Not filter needs exactly one operand');
    const child = compileFilter(filter.filters[0]!, context);
    return (properties, uuid) => !child(properties, uuid);
  }
  const name = filter.target?.property ?? filter.on?.[0];
  if (name === undefined || name === '') throw new FilterError('filter has no target property');
  if (name === INTERNAL_ID) return idFilter(filter);
  const property = context.properties.get(name);
  if (property === undefined) {
    throw new FilterError(`no such prop with name '${name}' found in class '${context.className}' in the schema. Check your schema files for which properties in this class are available`);
  }
  const dataType = property.dataType[0]!;
  const propertyKind = kindOf(dataType);
  const given = filterValues(filter);
  if (operator === Operator.IS_NULL) {
    if (!context.indexNullState) throw new FilterError('Nullstate must be indexed to be filterable! Add `indexNullState: true` to the invertedIndexConfig');
    if (given?.kind !== 'boolean' || given.array) throw new FilterError('IsNull filter needs valueBoolean');
    const wanted = given.values[0] as boolean;
    return (properties) => (storedList(properties[name]).length === 0) === wanted;
  }
  if (property.indexFilterable === false) {
    throw new FilterError(`Filtering by property '${name}' requires inverted index. Is \`indexFilterable\` option of property '${name}' enabled? Set it to \`true\` or leave empty`);
  }
  if (given === undefined) throw new FilterError(`filter on '${name}' has no value`);
  if (propertyKind === undefined || given.kind !== propertyKind) {
    const wanted = propertyKind === undefined ? 'a supported value' : `"${valueFieldNames[propertyKind]}"`;
    throw new FilterError(`data type filter cannot use "${valueFieldNames[given.kind]}" on type "${dataType.replace('[]', '')}", use ${wanted} instead`);
  }
  const isContains = operator === Operator.CONTAINS_ANY || operator === Operator.CONTAINS_ALL || operator === Operator.CONTAINS_NONE;
  if (given.array !== isContains) throw new FilterError(`operator ${operator} on '${name}' ${isContains ? 'needs an array value' : 'cannot take an array value'}`);
  const tokenization = property.tokenization;
  const textMatch = (stored: Scalar, wanted: Scalar): boolean => {
    if (given.kind !== 'text') return stored === wanted;
    const storedTokens = tokenize(String(stored), tokenization);
    return tokenize(String(wanted), tokenization).every((token) => storedTokens.includes(token));
  };
  const anyEqual = (properties: Readonly<Record<string, unknown>>, wanted: Scalar) => storedList(properties[name]).some((stored) => textMatch(stored, wanted));
  switch (operator) {
    case Operator.EQUAL:
      return (properties) => anyEqual(properties, given.values[0]!);
    case Operator.NOT_EQUAL:
      return (properties) => !anyEqual(properties, given.values[0]!);
    case Operator.CONTAINS_ANY:
      return (properties) => given.values.some((wanted) => anyEqual(properties, wanted));
    case Operator.CONTAINS_ALL:
      return (properties) => given.values.every((wanted) => anyEqual(properties, wanted));
    case Operator.CONTAINS_NONE:
      return (properties) => !given.values.some((wanted) => anyEqual(properties, wanted));
    case Operator.LIKE: {
      if (given.kind !== 'text') throw new FilterError('Like filter needs valueText');
      const pattern = likeToRegExp(String(given.values[0]));
      return (properties) => storedList(properties[name]).some((stored) => pattern.test(String(stored)));
    }
    case Operator.GREATER_THAN:
    case Operator.GREATER_THAN_EQUAL:
    case Operator.LESS_THAN:
    case Operator.LESS_THAN_EQUAL: {
      if (given.kind === 'boolean') throw new FilterError(`range operator on boolean property '${name}'`);
      const wanted = given.values[0]!;
      const holds = (stored: Scalar) => {
        if (operator === Operator.GREATER_THAN) return stored > wanted;
        if (operator === Operator.GREATER_THAN_EQUAL) return stored >= wanted;
        if (operator === Operator.LESS_THAN) return stored < wanted;
        return stored <= wanted;
      };
      return (properties) => storedList(properties[name]).some(holds);
    }
    default:
      throw new FilterError(`operator ${operator} is not supported by this emulator`);
  }
}
