import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../errors.js';
import { baselineBands, sharedCeilings, type BackendDecision } from './decision-profile.js';
import { recommendStrategy } from './recommend-strategy.js';

/** A backend core has never heard of, whose limits depend on its plan. */
const tiered: BackendDecision = {
  plans: { names: ['small', 'large'], default: 'large' },
  profile: ({ plan }) => ({
    ceilings: {
      'collection-per-tenant': { value: plan === 'small' ? 3 : 300, source: 'https://example.test/limits' },
      'namespace-per-tenant': { value: 2_000, source: 'https://example.test/limits' },
      ...sharedCeilings,
    },
    collectionPreferredBelow: baselineBands.collectionBelow,
    namespacePreferredUpTo: baselineBands.namespaceUpTo,
    dedicatedAbove: { value: 10, source: 'https://example.test/limits' },
    sharedCollectionWarning: 'sharing costs extra here',
  }),
};
const subject = { type: 'vendorx', decision: tiered };

describe('recommendStrategy on a backend described from outside core', () => {
  it("takes every number from the backend's profile, for the plan asked or the default", () => {
    expect(recommendStrategy({ backend: subject, tenants: { count: 50 } }).strategy).toBe('collection-per-tenant');
    const small = recommendStrategy({ backend: subject, plan: 'small', tenants: { count: 50 } });
    expect(small.strategy).toBe('namespace-per-tenant');
    expect(small.warnings.join(' ')).toMatch(/collection-per-tenant stops scaling at 3 tenants on vendorx/);
    expect(small.thresholds).toContainEqual({ name: 'collection-per-tenant ceiling on vendorx', value: 3, source: 'https://example.test/limits' });
  });

  it("adds the backend's own warning when it recommends a shared collection, and only then", () => {
    expect(recommendStrategy({ backend: subject, tenants: { count: 5_000 } }).warnings).toContain('sharing costs extra here');
    expect(recommendStrategy({ backend: subject, tenants: { count: 500 } }).warnings).not.toContain('sharing costs extra here');
  });

  it('refuses a plan the backend does not list, and a backend named by a string core does not carry', () => {
    expect(() => recommendStrategy({ backend: subject, plan: 'medium', tenants: { count: 5 } })).toThrow(/plan must be one of small, large/);
    expect(() => recommendStrategy({ backend: 'memory', plan: 'small', tenants: { count: 5 } })).toThrow(/memory has no plans/);
    expect(() => recommendStrategy({ backend: 'qdrant' as never, tenants: { count: 5 } })).toThrow(InvalidArgumentError);
    expect(() => recommendStrategy({ backend: 'qdrant' as never, tenants: { count: 5 } })).toThrow(/loadBackendDescriptor\(\{ type: "qdrant" \}\)/);
    expect(() => recommendStrategy({ backend: { type: 'x' } as never, tenants: { count: 5 } })).toThrow(/a backend descriptor or 'memory'/);
  });

  it('holds the built-in memory backend without any package', () => {
    expect(recommendStrategy({ backend: 'memory', tenants: { count: 1_000_000 }, compliance: 'strict' }).strategy).toBe('collection-per-tenant');
  });

  it('keeps term statistics apart for keyword search: a partition or a collection each where the backend shares them', () => {
    const withKeyword = (statistics: 'scope' | 'partition' | 'collection'): typeof subject => ({
      type: 'vendorx',
      decision: { ...tiered, profile: (params) => ({ ...tiered.profile(params), keyword: { statistics, source: 'https://example.test/bm25' } }) },
    });
    const shared = { tenants: { count: 1_500 }, keywordSearch: true } as const;
    expect(recommendStrategy({ backend: withKeyword('scope'), ...shared }).strategy).toBe('metadata-filter');
    const partition = recommendStrategy({ backend: withKeyword('partition'), ...shared });
    expect(partition.strategy).toBe('namespace-per-tenant');
    expect(partition.reasons.join(' ')).toMatch(/whole partition \(https:\/\/example.test\/bm25\): namespace-per-tenant keeps them apart/);
    expect(recommendStrategy({ backend: withKeyword('collection'), tenants: { count: 200 }, keywordSearch: true }).strategy).toBe('collection-per-tenant');
    const tooMany = recommendStrategy({ backend: withKeyword('collection'), ...shared });
    expect(tooMany.strategy).toBe('metadata-filter');
    expect(tooMany.warnings.join(' ')).toMatch(/TERM_STATISTICS_SHARED.*shareTermStatisticsAcrossTenants/);
    expect(recommendStrategy({ backend: withKeyword('partition'), tenants: { count: 5_000 }, keywordSearch: true }).warnings.join(' ')).toMatch(/TERM_STATISTICS_SHARED/);
    expect(recommendStrategy({ backend: subject, ...shared }).warnings.join(' ')).toMatch(/no keyword search.*UNSUPPORTED/);
    expect(recommendStrategy({ backend: withKeyword('partition'), tenants: { count: 1_500 } }).strategy).toBe('metadata-filter');
  });
});
