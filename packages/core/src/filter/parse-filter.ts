import { InvalidFilterError } from '../errors.js';
import { metadataKeyProblem } from '../metadata.js';
import type { FilterNode, FilterOperator, MetadataScalar } from './filter-types.js';

/** Bounds that keep a hostile filter from costing more to translate than to run. */
export const filterLimits = { maxDepth: 8, maxNodes: 256, maxListValues: 1024 } as const;

const comparisonKinds = {
  $eq: 'eq', $ne: 'ne', $gt: 'gt', $gte: 'gte', $lt: 'lt', $lte: 'lte', $in: 'in', $nin: 'nin', $exists: 'exists',
} as const;

interface ParseState {
  nodes: number;
}

/**
 * Validates a user filter and turns it into the AST backends translate. Every problem is an
 * `InvalidFilterError` raised before any I/O. Returns undefined for an absent or empty filter.
 */
export function parseFilter(filter: unknown): FilterNode | undefined {
  if (filter === undefined) return undefined;
  const node = parseObject(filter, 'filter', 0, { nodes: 0 });
  return node.kind === 'and' && node.children.length === 0 ? undefined : node;
}

function fail(path: string, message: string): never {
  throw new InvalidFilterError(`Invalid filter at ${path}: ${message}.`);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

function count(state: ParseState, path: string): void {
  state.nodes += 1;
  if (state.nodes > filterLimits.maxNodes) fail(path, `more than ${filterLimits.maxNodes} conditions`);
}

function parseObject(value: unknown, path: string, depth: number, state: ParseState): FilterNode {
  if (!isPlainObject(value)) fail(path, 'expected an object of conditions');
  if (depth > filterLimits.maxDepth) fail(path, `nested deeper than ${filterLimits.maxDepth} levels`);
  count(state, path);
  const children: FilterNode[] = [];
  for (const [key, operand] of Object.entries(value)) {
    const keyPath = `${path}.${key}`;
    if (key === '$and' || key === '$or') {
      if (!Array.isArray(operand) || operand.length === 0) fail(keyPath, `${key} takes a non-empty list of filters`);
      const parts = operand.map((part, index) => parseObject(part, `${keyPath}[${index}]`, depth + 1, state));
      children.push({ kind: key === '$and' ? 'and' : 'or', children: parts });
    } else if (key === '$not') {
      const child = parseObject(operand, keyPath, depth + 1, state);
      if (child.kind === 'and' && child.children.length === 0) fail(keyPath, '$not takes a non-empty filter');
      children.push({ kind: 'not', child });
    } else if (key.startsWith('$')) {
      fail(keyPath, `unknown operator ${key}`);
    } else {
      const problem = metadataKeyProblem(key);
      if (problem !== undefined) fail(keyPath, problem);
      children.push(...parseField(key, operand, keyPath, state));
    }
  }
  return children.length === 1 ? children[0]! : { kind: 'and', children };
}

function parseField(field: string, operand: unknown, path: string, state: ParseState): FilterNode[] {
  if (!isPlainObject(operand)) return [{ kind: 'eq', field, value: scalar(operand, path) }];
  const entries = Object.entries(operand);
  if (entries.length === 0) fail(path, 'expected at least one operator');
  return entries.map(([operator, argument]): FilterNode => {
    const operatorPath = `${path}.${operator}`;
    count(state, operatorPath);
    switch (operator) {
      case '$eq':
      case '$ne':
        return { kind: comparisonKinds[operator], field, value: scalar(argument, operatorPath) };
      case '$gt':
      case '$gte':
      case '$lt':
      case '$lte':
        if (typeof argument !== 'number' || !Number.isFinite(argument)) fail(operatorPath, `${operator} takes a finite number`);
        return { kind: comparisonKinds[operator], field, value: argument };
      case '$in':
      case '$nin': {
        if (!Array.isArray(argument) || argument.length === 0 || argument.length > filterLimits.maxListValues) {
          fail(operatorPath, `${operator} takes a list of 1 to ${filterLimits.maxListValues} values`);
        }
        return { kind: comparisonKinds[operator], field, values: argument.map((item, index) => scalar(item, `${operatorPath}[${index}]`)) };
      }
      case '$exists':
        if (typeof argument !== 'boolean') fail(operatorPath, '$exists takes true or false');
        return { kind: 'exists', field, exists: argument };
      default:
        return fail(operatorPath, operator.startsWith('$') ? `unknown operator ${operator}` : 'nested fields are not supported');
    }
  });
}

function scalar(value: unknown, path: string): MetadataScalar {
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return fail(path, 'expected a string, a finite number or a boolean');
}

/** The operators a filter uses, to check against a backend's capabilities before any I/O. */
export function operatorsUsed(node: FilterNode | undefined, into = new Set<FilterOperator>()): Set<FilterOperator> {
  if (node === undefined) return into;
  switch (node.kind) {
    case 'and':
    case 'or':
      into.add(node.kind === 'and' ? '$and' : '$or');
      for (const child of node.children) operatorsUsed(child, into);
      return into;
    case 'not':
      into.add('$not');
      return operatorsUsed(node.child, into);
    default:
      into.add(`$${node.kind}` as FilterOperator);
      return into;
  }
}
