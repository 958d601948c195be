import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, recommendStrategy as recommendFor, type RecommendStrategyInput } from '@tenantvec/core';
import { memoryDecision, type BackendDecision } from '@tenantvec/core/backend';
import { pgvectorBackendDescriptor } from '@tenantvec/pgvector';
import { pineconeBackendDescriptor, pineconePlans } from '@tenantvec/pinecone';
import { qdrantBackendDescriptor } from '@tenantvec/qdrant';
import { weaviateBackendDescriptor } from '@tenantvec/weaviate';

/** The decision helper over every backend package's own limits, each read from its descriptor. */
const descriptors = { pgvector: pgvectorBackendDescriptor, qdrant: qdrantBackendDescriptor, pinecone: pineconeBackendDescriptor, weaviate: weaviateBackendDescriptor } as const;
type BackendName = keyof typeof descriptors | 'memory';
const backendKinds = [...(Object.keys(descriptors) as BackendName[]), 'memory'] as const;
type Input = Omit<RecommendStrategyInput, 'backend'> & { backend: BackendName };

function subjectOf(backend: unknown): RecommendStrategyInput['backend'] {
  return typeof backend === 'string' && backend in descriptors ? descriptors[backend as keyof typeof descriptors] : (backend as 'memory');
}

function recommendStrategy(input: Input) {
  return recommendFor({ ...input, backend: subjectOf(input.backend) });
}

function decisionOf(backend: BackendName): BackendDecision {
  return backend === 'memory' ? memoryDecision : descriptors[backend].decision;
}

type Row = [string, Input, string, RegExp?];

const rows: Row[] = [
  ['few tenants → a collection each', { backend: 'pgvector', tenants: { count: 40 } }, 'collection-per-tenant'],
  ['the baseline band 100–1,000 → namespaces', { backend: 'pgvector', tenants: { count: 100 } }, 'namespace-per-tenant'],
  ['1,000 is still namespaces', { backend: 'qdrant', tenants: { count: 1_000 } }, 'namespace-per-tenant'],
  ['past 1,000 → a shared collection', { backend: 'pgvector', tenants: { count: 1_001 } }, 'metadata-filter'],
  ['Weaviate steers to native tenants past ~20 collections', { backend: 'weaviate', tenants: { count: 50 } }, 'namespace-per-tenant'],
  ['Weaviate keeps a collection each below 20', { backend: 'weaviate', tenants: { count: 10 } }, 'collection-per-tenant'],
  ['Weaviate native tenants go to ~50k', { backend: 'weaviate', tenants: { count: 40_000 } }, 'namespace-per-tenant'],
  ['Weaviate past 50k → shared', { backend: 'weaviate', tenants: { count: 60_000 } }, 'metadata-filter'],
  ['Pinecone namespaces go to the plan cap', { backend: 'pinecone', tenants: { count: 5_000 } }, 'namespace-per-tenant'],
  ['Pinecone starter: 5 indexes, so 20 tenants → namespaces', { backend: 'pinecone', plan: 'starter', tenants: { count: 20 } }, 'namespace-per-tenant'],
  ['Pinecone starter past 100 namespaces → shared, with the cost warning', { backend: 'pinecone', plan: 'starter', tenants: { count: 150 } }, 'metadata-filter', /billed by the namespace/],
  ['hierarchical scoping on a shared collection → source-prefix', { backend: 'qdrant', tenants: { count: 5_000 }, hierarchical: true }, 'source-prefix'],
  ['hierarchical scoping changes nothing where tenants are apart already', { backend: 'qdrant', tenants: { count: 10 }, hierarchical: true }, 'collection-per-tenant'],
  ['strict compliance → a collection each', { backend: 'pgvector', tenants: { count: 800 }, compliance: 'strict' }, 'collection-per-tenant'],
  ['strict past the collection ceiling → namespaces, warned', { backend: 'qdrant', tenants: { count: 700 }, compliance: 'strict' }, 'namespace-per-tenant', /stops scaling at 500/],
  ['strict past every partition ceiling → shared, warned', { backend: 'qdrant', tenants: { count: 5_000 }, compliance: 'strict' }, 'metadata-filter', /cannot give 5,000 tenants a collection each/],
  ['memory holds anything in collections when strict', { backend: 'memory', tenants: { count: 1_000_000 }, compliance: 'strict' }, 'collection-per-tenant'],
  ['keyword search on Postgres keeps a shared table: statistics come from the scope', { backend: 'pgvector', tenants: { count: 5_000 }, keywordSearch: true }, 'metadata-filter'],
  ['keyword search on Weaviate at 100 tenants: native tenants are shards with statistics of their own', { backend: 'weaviate', tenants: { count: 100 }, keywordSearch: true }, 'namespace-per-tenant'],
  ['keyword search on Weaviate past its native tenants: shared, warned that keyword mode is refused', { backend: 'weaviate', tenants: { count: 60_000 }, keywordSearch: true }, 'metadata-filter', /TERM_STATISTICS_SHARED/],
  ['keyword search on Qdrant keeps a shared collection: the IDF corpus is the scope', { backend: 'qdrant', tenants: { count: 5_000 }, keywordSearch: true }, 'metadata-filter'],
  ['keyword search on Pinecone changes nothing: each record\'s sparse weights are its own', { backend: 'pinecone', plan: 'starter', tenants: { count: 150 }, keywordSearch: true }, 'metadata-filter', /billed by the namespace/],
];

describe('recommendStrategy', () => {
  it.each(rows)('%s', (_, input, strategy, warning) => {
    const result = recommendStrategy(input);
    expect(result.strategy).toBe(strategy);
    expect(result.reasons.length).toBeGreaterThan(0);
    if (warning === undefined) expect(result.warnings).toEqual([]);
    else expect(result.warnings.join(' ')).toMatch(warning);
    for (const threshold of result.thresholds) expect(threshold.source.length).toBeGreaterThan(10);
  });

  it('places named regulated tenants in dedicated storage, whatever the strategy', () => {
    const result = recommendStrategy({ backend: 'pgvector', tenants: { count: 5_000 }, compliance: { dedicated: ['bank-a', 'clinic-b'] } });
    expect(result.strategy).toBe('metadata-filter');
    expect(result.dedicated.map((placement) => placement.tenant)).toEqual(['bank-a', 'clinic-b']);
  });

  it('moves tenants larger than the backend threshold out of shared storage, counting them from the histogram', () => {
    const result = recommendStrategy({
      backend: 'qdrant',
      tenants: { count: 3_000, histogram: [{ upTo: 1_000, tenants: 2_900 }, { upTo: 19_000, tenants: 90 }, { upTo: 250_000, tenants: 10 }] },
    });
    expect(result.dedicated).toEqual([expect.objectContaining({ largerThan: 20_000, tenantCount: 10, strategy: 'collection-per-tenant' })]);
    expect(result.thresholds.map((threshold) => threshold.name)).toContain('dedicated above (records)');
  });

  it('does not move large tenants when every tenant has a collection already', () => {
    expect(recommendStrategy({ backend: 'pgvector', tenants: { count: 10, largest: 5_000_000 } }).dedicated).toEqual([]);
  });

  it('warns when the dedicated tenants exceed what the backend holds as collections', () => {
    const result = recommendStrategy({ backend: 'pinecone', plan: 'starter', tenants: { count: 50, largest: 2_000_000, histogram: [{ upTo: 2_000_000, tenants: 8 }] } });
    expect(result.warnings.join(' ')).toMatch(/8 dedicated tenants exceed the 5 collections/);
  });

  it('refuses bad input with a typed error before deciding anything', () => {
    const bad: unknown[] = [
      { backend: 'mongodb', tenants: { count: 1 } },
      { backend: 'pgvector', tenants: { count: 0 } },
      { backend: 'pgvector', tenants: { count: 1.5 } },
      { backend: 'pgvector', tenants: { count: 10, median: 50, largest: 5 } },
      { backend: 'pinecone', plan: 'free', tenants: { count: 10 } },
      { backend: 'qdrant', plan: 'starter', tenants: { count: 10 } },
      { backend: 'pgvector', tenants: { count: 10 }, compliance: 'paranoid' },
      { backend: 'pgvector', tenants: { count: 10, histogram: [{ upTo: -1, tenants: 1 }] } },
    ];
    for (const input of bad) expect(() => recommendStrategy(input as Input)).toThrow(InvalidArgumentError);
  });

  /** Log-uniform, so every band from 1 to millions of tenants is drawn about as often. */
  const tenantCount = fc.double({ min: 0, max: 6.3, noNaN: true }).map((exponent) => Math.max(1, Math.round(10 ** exponent)));

  const anyInput = fc.record({
    backend: fc.constantFrom(...backendKinds),
    plan: fc.constantFrom(...pineconePlans),
    compliance: fc.constantFrom('standard' as const, 'strict' as const),
    hierarchical: fc.boolean(),
  });

  /** The drawn plan only where the backend has plans. */
  const withPlan = ({ plan, ...shape }: { backend: BackendName; plan: string; compliance: 'standard' | 'strict'; hierarchical: boolean }) =>
    decisionOf(shape.backend).plans === undefined ? shape : { ...shape, plan };

  it('property: more tenants never yields a strategy with a lower tenant ceiling', () => {
    fc.assert(
      fc.property(anyInput, tenantCount, tenantCount, (shape, fewer, more) => {
        const ceilings = decisionOf(shape.backend).profile({ plan: shape.plan }).ceilings;
        const small = recommendStrategy({ ...withPlan(shape), tenants: { count: fewer } });
        const large = recommendStrategy({ ...withPlan(shape), tenants: { count: fewer + more } });
        expect(ceilings[large.strategy].value).toBeGreaterThanOrEqual(ceilings[small.strategy].value);
      }),
      { numRuns: 2_000 },
    );
  });

  it('property: a regulated tenant is always dedicated', () => {
    fc.assert(
      fc.property(anyInput, tenantCount, fc.uniqueArray(fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/), { minLength: 1, maxLength: 5 }), (shape, count, regulated) => {
        const result = recommendStrategy({ ...withPlan(shape), compliance: { dedicated: regulated }, tenants: { count } });
        for (const tenant of regulated) {
          expect(result.dedicated).toContainEqual(expect.objectContaining({ tenant, strategy: 'collection-per-tenant' }));
        }
      }),
    );
  });
});

describe('recommendStrategy on embedded Postgres (the pglite descriptor)', () => {
  it('warns when the store would hold more records than its measured limit, and only then', async () => {
    const { pgliteBackendDescriptor } = await import('@tenantvec/pgvector');
    const large = recommendFor({ backend: pgliteBackendDescriptor, tenants: { count: 200, median: 500 } });
    expect(large.warnings.join(' ')).toMatch(/Embedded Postgres \(PGlite\) with 100,000 records is past its measured limit of 20,000/);
    expect(large.thresholds.map((threshold) => threshold.name)).toContain('embedded Postgres up to (records)');
    const small = recommendFor({ backend: pgliteBackendDescriptor, tenants: { count: 20, median: 100 } });
    expect(small.warnings).toEqual([]);
    expect(small.reasons.join(' ')).toMatch(/up to about 20,000 records/);
    // A server has no such limit.
    expect(recommendFor({ backend: pgvectorBackendDescriptor, tenants: { count: 200, median: 500 } }).warnings).toEqual([]);
  });
});
