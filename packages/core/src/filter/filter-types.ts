/** A metadata value: a scalar, or a list of strings (tags). */
export type MetadataScalar = string | number | boolean;
export type MetadataValue = MetadataScalar | readonly string[];
export type Metadata = Readonly<Record<string, MetadataValue>>;

/** The comparison operators of the filter language, Mongo-style. */
export type ComparisonOperator = '$eq' | '$ne' | '$gt' | '$gte' | '$lt' | '$lte' | '$in' | '$nin' | '$exists';
export type LogicalOperator = '$and' | '$or' | '$not';
export type FilterOperator = ComparisonOperator | LogicalOperator;

export const filterOperators: readonly FilterOperator[] = [
  '$eq', '$ne', '$gt', '$gte', '$lt', '$lte', '$in', '$nin', '$exists', '$and', '$or', '$not',
];

export interface FieldOperators {
  $eq?: MetadataScalar;
  $ne?: MetadataScalar;
  $gt?: number;
  $gte?: number;
  $lt?: number;
  $lte?: number;
  $in?: readonly MetadataScalar[];
  $nin?: readonly MetadataScalar[];
  $exists?: boolean;
}

/**
 * What users write: `{ type: 'pdf', year: { $gte: 2024 }, $or: [...] }`. Keys of one object are
 * ANDed. Field names are metadata keys; tenant, id and source are not fields a filter can name.
 */
export interface Filter {
  $and?: readonly Filter[];
  $or?: readonly Filter[];
  $not?: Filter;
  [field: string]: MetadataScalar | FieldOperators | readonly Filter[] | Filter | undefined;
}

/**
 * The validated form every backend translates. Semantics, which the in-memory evaluator
 * defines for all backends:
 * - `eq` holds when the field equals the value, or when it is a list containing the value;
 * - `ne`, `nin` are the negations of `eq`, `in`: a record without the field satisfies them;
 * - range comparisons hold only on numbers; a missing or non-numeric field fails them;
 * - values compare by type: the number 1 never equals the string '1'.
 */
export type FilterNode =
  | { kind: 'and'; children: readonly FilterNode[] }
  | { kind: 'or'; children: readonly FilterNode[] }
  | { kind: 'not'; child: FilterNode }
  | { kind: 'eq' | 'ne'; field: string; value: MetadataScalar }
  | { kind: 'gt' | 'gte' | 'lt' | 'lte'; field: string; value: number }
  | { kind: 'in' | 'nin'; field: string; values: readonly MetadataScalar[] }
  | { kind: 'exists'; field: string; exists: boolean };
