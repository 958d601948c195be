import { type Metadata, type MetadataScalar, type MetadataValue } from '@tenantvec/core';
import { matchesFilter, type FilterNode, type StoredRecord } from '@tenantvec/core/backend';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgvectorBackend } from './pgvector-backend.js';
import { backendOn, pgliteEngine, uniqueSchema, type TestEngine } from './test-engines.js';

const fields = ['kind', 'year', 'tags', 'flag'];
/** Values chosen to collide across types: 1 vs '1', true vs 'true', 0.1 vs '0.1', lists vs scalars. */
const scalar: fc.Arbitrary<MetadataScalar> = fc.oneof(
  fc.constantFrom('x', 'y', '1', 'true', '0.1', "it's", 'a"b', 'back\\slash', ''),
  fc.constantFrom(1, 2, 0.1, -3, 1e21, 2024, 0),
  fc.boolean(),
);
const value: fc.Arbitrary<MetadataValue> = fc.oneof(scalar, fc.array(fc.constantFrom('x', 'y', '1', 'true', "it's"), { maxLength: 3 }));
const metadata: fc.Arbitrary<Metadata> = fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: 4 });

const field = fc.constantFrom(...fields, 'absent');
const leaf: fc.Arbitrary<FilterNode> = fc.oneof(
  fc.record({ kind: fc.constantFrom('eq' as const, 'ne' as const), field, value: scalar }),
  fc.record({ kind: fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const), field, value: fc.constantFrom(0, 1, 0.1, 2024, -3, 1e21) }),
  fc.record({ kind: fc.constantFrom('in' as const, 'nin' as const), field, values: fc.array(scalar, { minLength: 1, maxLength: 4 }) }),
  fc.record({ kind: fc.constant('exists' as const), field, exists: fc.boolean() }),
);
const filter: fc.Arbitrary<FilterNode> = fc.letrec<{ node: FilterNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constantFrom('and' as const, 'or' as const), children: fc.array(tie('node'), { minLength: 1, maxLength: 3 }) }),
    fc.record({ kind: fc.constant('not' as const), child: tie('node') }),
  ),
})).node;

describe('filter translation on PGlite agrees with the reference evaluator', () => {
  let engine: TestEngine;
  let backend: PgvectorBackend;
  const records: StoredRecord[] = [];

  beforeAll(async () => {
    engine = await pgliteEngine();
    backend = backendOn(engine, { schema: uniqueSchema() });
    await backend.ensureCollection({ collection: { name: 'filtered', dimension: 2, metric: 'cosine', tenantField: true, partitioned: false } });
    const generated = fc.sample(metadata, { numRuns: 120, seed: 20261123 });
    generated.forEach((item, index) => records.push({ id: `t:${String(index).padStart(3, '0')}`, recordId: String(index), vector: [1, index], metadata: item, tenant: 't' }));
    await backend.rawUpsert({ location: { collection: 'filtered' }, records });
  });

  afterAll(async () => {
    await engine.close();
  });

  it('selects exactly the records matchesFilter selects, for generated filters', async () => {
    await fc.assert(
      fc.asyncProperty(filter, async (node) => {
        const page = await backend.rawScan({ location: { collection: 'filtered' }, scope: { tenant: 't' }, filter: node, limit: 1000 });
        const expected = records.filter((record) => matchesFilter(node, record.metadata)).map((record) => record.id);
        expect(page.records.map((record) => record.id)).toEqual(expected);
      }),
      { numRuns: 300, seed: 20261123 },
    );
  });

  it('returns metadata exactly as written, strings with quotes and backslashes included', async () => {
    const page = await backend.rawScan({ location: { collection: 'filtered' }, scope: { tenant: 't' }, limit: 1000 });
    expect(page.records.map((record) => record.metadata)).toEqual(records.map((record) => record.metadata));
  });
});
