import { describe, expect, it } from 'vitest';
import { InvalidFilterError } from '../errors.js';
import { operatorsUsed, parseFilter } from './parse-filter.js';

describe('parseFilter', () => {
  it('turns shorthand and operators into one AST, ANDing the keys of an object', () => {
    expect(parseFilter({ kind: 'pdf', year: { $gte: 2024, $lt: 2025 } })).toEqual({
      kind: 'and',
      children: [
        { kind: 'eq', field: 'kind', value: 'pdf' },
        { kind: 'gte', field: 'year', value: 2024 },
        { kind: 'lt', field: 'year', value: 2025 },
      ],
    });
    expect(parseFilter({})).toBeUndefined();
    expect(parseFilter(undefined)).toBeUndefined();
  });

  it('names the path of the bad part', () => {
    expect(() => parseFilter({ $or: [{ kind: 'a' }, { year: { $gt: 'x' } }] })).toThrow(/filter\.\$or\[1\]\.year\.\$gt/);
    expect(() => parseFilter({ tenant: 'b' })).toThrow(InvalidFilterError);
  });

  it('bounds the size of a filter', () => {
    const wide = { $or: Array.from({ length: 300 }, (_, index) => ({ kind: `k${index}` })) };
    expect(() => parseFilter(wide)).toThrow(/more than 256 conditions/);
    expect(() => parseFilter({ kind: { $in: Array.from({ length: 1025 }, String) } })).toThrow(/1 to 1024/);
  });

  it('reports the operators a filter uses', () => {
    expect([...operatorsUsed(parseFilter({ $or: [{ a: 1 }, { $not: { b: { $in: [1] } } }] }))].sort()).toEqual(['$eq', '$in', '$not', '$or']);
  });
});
