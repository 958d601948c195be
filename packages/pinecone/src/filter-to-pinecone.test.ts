import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { type Filter, type Metadata } from '@tenantvec/core';
import { matchesFilter, parseFilter, type FilterNode, type StoredRecord } from '@tenantvec/core/backend';
import { filterProblem, matchesPineconeFilter, type StoredMetadata } from '@tenantvec/emulators/pinecone';
import { filterToPinecone, scopedFilter } from './filter-to-pinecone.js';

/** A filter that parses to a node (parseFilter answers undefined only for no filter). */
const parsed = (filter: Filter): FilterNode => parseFilter(filter)!;
import { toPineconeRecord } from './record-mapping.js';

/** What Pinecone would store for this metadata, system fields included. */
function stored(metadata: Metadata, extra: Partial<StoredRecord> = {}): StoredMetadata {
  return toPineconeRecord({ id: 'a:1', recordId: '1', vector: [1], metadata, ...extra }).metadata as StoredMetadata;
}

describe('filterToPinecone', () => {
  it('has no $not: negations are pushed to the leaves', () => {
    const translated = filterToPinecone(parsed({ $not: { $and: [{ kind: 'pdf' }, { year: { $gt: 2020 } }] } }));
    expect(JSON.stringify(translated)).not.toContain('$not');
    expect(filterProblem(translated)).toBeUndefined();
    expect(translated).toEqual({
      $or: [
        { $or: [{ kind: { $ne: 'pdf' } }, { kind: { $exists: false } }] },
        { $or: [{ year: { $lte: 2020 } }, { $or: [{ _numeric_keys: { $nin: ['year'] } }, { _numeric_keys: { $exists: false } }] }] },
      ],
    });
  });

  it('sends booleans in $in through $eq, which Pinecone accepts', () => {
    const translated = filterToPinecone(parsed({ flag: { $in: [true, 'yes'] } }));
    expect(translated).toEqual({ $or: [{ flag: { $eq: true } }, { flag: { $eq: 'yes' } }] });
    expect(filterProblem(translated)).toBeUndefined();
  });

  it('puts the scope walls beside the caller filter, never inside it', () => {
    const caller = parsed({ $or: [{ owner: { $exists: true } }, { owner: { $exists: false } }] });
    expect(scopedFilter({ tenant: 'acme', sourcePrefix: 'acme/kb' }, caller)).toEqual({
      $and: [{ _tenant: { $eq: 'acme' } }, { _source_ancestors: { $in: ['acme/kb'] } }, filterToPinecone(caller)],
    });
    expect(scopedFilter({}, undefined)).toBeUndefined();
  });

  it('matches source folders segment-wise through the ancestors list', () => {
    const filter = scopedFilter({ sourcePrefix: 'kb/fin' }, undefined)!;
    expect(matchesPineconeFilter(filter, stored({}, { source: 'kb/fin/q4' }))).toBe(true);
    expect(matchesPineconeFilter(filter, stored({}, { source: 'kb/fin' }))).toBe(true);
    expect(matchesPineconeFilter(filter, stored({}, { source: 'kb/finance' }))).toBe(false);
    expect(matchesPineconeFilter(filter, stored({}))).toBe(false);
  });

  // Random filters over random metadata: Pinecone's evaluation of the translation must agree with
  // core's reference evaluator, with the emulator's strict reading of $ne/$nin on missing fields.
  const field = fc.constantFrom('kind', 'year', 'tags', 'flag');
  const scalar = fc.oneof(fc.constantFrom('pdf', 'html', 'x', '2024'), fc.constantFrom(2022, 2024, 2024.5), fc.boolean());
  const leaf: fc.Arbitrary<Filter> = fc.oneof(
    fc.record({ f: field, v: scalar }).map(({ f, v }) => ({ [f]: v })),
    fc.record({ f: field, v: scalar }).map(({ f, v }) => ({ [f]: { $ne: v } })),
    fc.record({ f: field, v: fc.constantFrom(2020, 2024, 2024.5) , op: fc.constantFrom('$gt', '$gte', '$lt', '$lte') }).map(({ f, v, op }) => ({ [f]: { [op]: v } })),
    fc.record({ f: field, v: fc.array(scalar, { minLength: 1, maxLength: 3 }) }).map(({ f, v }) => ({ [f]: { $in: v } })),
    fc.record({ f: field, v: fc.array(scalar, { minLength: 1, maxLength: 3 }) }).map(({ f, v }) => ({ [f]: { $nin: v } })),
    fc.record({ f: field, v: fc.boolean() }).map(({ f, v }) => ({ [f]: { $exists: v } })),
  );
  const filter = fc.letrec<{ node: Filter }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      leaf,
      // {} inside $and or $or is core's "everything": Pinecone must get no empty list for it.
      fc.array(fc.oneof(tie('node'), fc.constant({})), { minLength: 1, maxLength: 3 }).map((children) => ({ $and: children })),
      fc.array(fc.oneof(tie('node'), fc.constant({})), { minLength: 1, maxLength: 3 }).map((children) => ({ $or: children })),
      tie('node').map((child) => ({ $not: child })),
    ),
  })).node;
  const metadata = fc.record(
    {
      kind: fc.constantFrom('pdf', 'html', '2024'),
      year: fc.oneof(fc.constantFrom(2022, 2024, 2024.5), fc.constant('2024'), fc.boolean()),
      tags: fc.array(fc.constantFrom('pdf', 'x', '2024'), { maxLength: 3 }),
      flag: fc.oneof(fc.boolean(), fc.constant(2024)),
    },
    { requiredKeys: [] },
  );

  it('translates an empty filter inside $or, $and and $not to a valid filter of the same meaning', () => {
    const record = stored({ kind: 'pdf' });
    for (const [raw, matches] of [
      [{ $or: [{}] }, true],
      [{ $and: [{}] }, true],
      [{ $not: { $or: [{}] } }, false],
      [{ $or: [{}, { kind: 'html' }] }, true],
      [{ $and: [{}, { kind: 'html' }] }, false],
      [{ $not: { $and: [{}, { kind: 'html' }] } }, true],
    ] as [Filter, boolean][]) {
      const translated = filterToPinecone(parsed(raw));
      expect({ raw, problem: filterProblem(translated) }).toEqual({ raw, problem: undefined });
      expect({ raw, matches: matchesPineconeFilter(translated, record) }).toEqual({ raw, matches });
    }
  });

  it('selects exactly what core selects, for random filters and records', () => {
    fc.assert(
      fc.property(filter, metadata, (raw, record) => {
        const node = parsed(raw);
        const translated = filterToPinecone(node);
        expect(filterProblem(translated)).toBeUndefined();
        expect(matchesPineconeFilter(translated, stored(record as Metadata))).toBe(matchesFilter(node, record as Metadata));
      }),
      { numRuns: 2000, seed: 5 },
    );
  });
});
