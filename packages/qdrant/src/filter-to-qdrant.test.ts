import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Filter, type Metadata } from '@tenantvec/core';
import { matchesFilter, parseFilter, type FilterNode } from '@tenantvec/core/backend';
import { matchesQdrantFilter } from '@tenantvec/emulators/qdrant';
import { filterToQdrant, scopedFilter } from './filter-to-qdrant.js';

describe('filterToQdrant', () => {
  it('nests user fields under metadata and keeps number equality type-strict', () => {
    expect(filterToQdrant(parseFilter({ kind: 'pdf' })!)).toEqual({ key: 'metadata.kind', match: { value: 'pdf' } });
    expect(filterToQdrant(parseFilter({ year: 2024.5 })!)).toEqual({ key: 'metadata.year', range: { gte: 2024.5, lte: 2024.5 } });
    expect(filterToQdrant(parseFilter({ kind: { $in: ['a', 'b'] } })!)).toEqual({ key: 'metadata.kind', match: { any: ['a', 'b'] } });
    expect(filterToQdrant(parseFilter({ n: { $in: [1, true] } })!)).toEqual({
      should: [{ key: 'metadata.n', range: { gte: 1, lte: 1 } }, { key: 'metadata.n', match: { value: true } }],
    });
    expect(filterToQdrant(parseFilter({ kind: { $ne: 'pdf' } })!)).toEqual({ must_not: [{ key: 'metadata.kind', match: { value: 'pdf' } }] });
    expect(filterToQdrant(parseFilter({ tags: { $exists: false } })!)).toEqual({ must_not: [{ key: 'metadata_keys', match: { value: 'tags' } }] });
    expect(filterToQdrant(parseFilter({ year: { $lt: 3 } })!)).toEqual({ key: 'metadata.year', range: { lt: 3 } });
  });

  it('ANDs the scope around the filter, never into it', () => {
    const filter = parseFilter({ $or: [{ kind: 'a' }, { kind: 'b' }] });
    expect(scopedFilter({ tenant: 'acme', sourcePrefix: 'acme/kb' }, filter)).toEqual({
      must: [
        { key: 'tenant', match: { value: 'acme' } },
        { key: 'source_ancestors', match: { value: 'acme/kb' } },
        { should: [{ key: 'metadata.kind', match: { value: 'a' } }, { key: 'metadata.kind', match: { value: 'b' } }] },
      ],
    });
    expect(scopedFilter({})).toBeUndefined();
  });

  // The translation, evaluated by Qdrant's semantics (the emulator's evaluator), selects exactly
  // what core's reference evaluator selects, for random filters over random metadata.
  it('agrees with the reference semantics on random filters and records', () => {
    const fields = ['kind', 'year', 'tags', 'flag'] as const;
    const scalar = fc.oneof(fc.constantFrom('a', 'b', '1', 'x'), fc.constantFrom(1, 2, 2.5, -1), fc.boolean());
    const value = fc.oneof(scalar, fc.array(fc.constantFrom('a', 'b', 'x'), { maxLength: 3 }));
    const metadata = fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 4 }) as fc.Arbitrary<Metadata>;
    const leaf: fc.Arbitrary<Filter> = fc.oneof(
      fc.record({ field: fc.constantFrom(...fields), value: scalar }).map(({ field, value }) => ({ [field]: value })),
      fc.record({ field: fc.constantFrom(...fields), op: fc.constantFrom('$eq', '$ne'), value: scalar }).map(({ field, op, value }) => ({ [field]: { [op]: value } })),
      fc.record({ field: fc.constantFrom(...fields), op: fc.constantFrom('$gt', '$gte', '$lt', '$lte'), value: fc.constantFrom(1, 2, 2.5) }).map(({ field, op, value }) => ({ [field]: { [op]: value } })),
      fc.record({ field: fc.constantFrom(...fields), op: fc.constantFrom('$in', '$nin'), values: fc.array(scalar, { minLength: 1, maxLength: 3 }) }).map(({ field, op, values }) => ({ [field]: { [op]: values } })),
      fc.record({ field: fc.constantFrom(...fields), exists: fc.boolean() }).map(({ field, exists }) => ({ [field]: { $exists: exists } })),
    );
    const filter = fc.letrec<{ node: Filter }>((tie) => ({
      node: fc.oneof(
        { depthSize: 'small' },
        leaf,
        fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((children) => ({ $and: children })),
        fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((children) => ({ $or: children })),
        tie('node').map((child) => ({ $not: child })),
      ),
    })).node;
    fc.assert(
      fc.property(filter, fc.array(metadata, { minLength: 1, maxLength: 8 }), (userFilter, records) => {
        const node = parseFilter(userFilter) as FilterNode;
        const qdrantFilter = { must: [filterToQdrant(node)] };
        for (const record of records) {
          const payload = { metadata: record, metadata_keys: Object.keys(record) };
          expect(matchesQdrantFilter(qdrantFilter as never, { id: 1, payload })).toBe(matchesFilter(node, record));
        }
      }),
      { numRuns: 300, seed: 4242 },
    );
  });
});
