import type { StrategyType } from '../isolation-strategy.js';
import type { TermStatisticsScope } from '../vector-backend.js';

/**
 * The numbers the decision helper uses, each with where it comes from. Every backend package
 * owns its own (vendors move them between doc versions): change them there, never in the
 * branches of `recommendStrategy`.
 */

export interface Threshold {
  value: number;
  source: string;
}

/** How many tenants each strategy holds on one backend before it stops scaling, and its bands. */
export interface DecisionProfile {
  ceilings: Record<StrategyType, Threshold>;
  /** Below this many tenants, a collection each. */
  collectionPreferredBelow: Threshold;
  /** Up to this many tenants, the backend's partition primitive rather than a shared filter. */
  namespacePreferredUpTo: Threshold;
  /** Records above which one tenant should leave shared storage for its own. */
  dedicatedAbove: Threshold;
  /** Said when a shared collection is recommended, where sharing costs more than it seems. */
  sharedCollectionWarning?: string;
  /** A store size past which this backend is the wrong choice (an embedded database's), measured. */
  recordLimit?: RecordLimit;
  /** Keyword search, when the backend has it: where its term statistics come from (see `KeywordCapability`). */
  keyword?: { statistics: TermStatisticsScope; source: string };
}

/** Records past which a backend should give way to another, with what to say either side of it. */
export interface RecordLimit extends Threshold {
  /** The threshold's name in a recommendation's list. */
  name: string;
  /** Said when a store holds, or will hold, `records` past the limit (`recommend` and `inspect`). */
  warning(records: number): string;
  /** Said when the expected store fits. */
  reason: string;
}

/** Records a tenant shape implies at least: every tenant at the median, or the largest alone. */
export function impliedRecords(tenants: { count: number; median?: number; largest?: number }): number | undefined {
  const candidates = [tenants.median === undefined ? undefined : tenants.median * tenants.count, tenants.largest].filter((value): value is number => value !== undefined);
  return candidates.length === 0 ? undefined : Math.max(...candidates);
}

/** A backend's decision profile, which may depend on the service plan (Pinecone's limits do). */
export interface BackendDecision {
  /** Plans whose limits differ; `recommendStrategy` refuses any other. */
  plans?: { names: readonly string[]; default: string };
  profile(params: { plan?: string }): DecisionProfile;
}

/** The baseline before any backend's own limits: fewer than 100 → collection, up to 1,000 → namespace. */
export const baselineBands = {
  collectionBelow: { value: 100, source: 'tenantvec default: below 100 tenants a collection each is affordable on every backend' },
  namespaceUpTo: { value: 1_000, source: 'tenantvec default: from 100 to 1,000 tenants a partition each, beyond that a shared collection' },
} as const satisfies Record<string, Threshold>;

/** A shared collection holds any number of tenants, on every backend. */
export const sharedCeilings: Pick<Record<StrategyType, Threshold>, 'metadata-filter' | 'source-prefix'> = {
  'metadata-filter': { value: Number.POSITIVE_INFINITY, source: 'a shared collection holds any number of tenants' },
  'source-prefix': { value: Number.POSITIVE_INFINITY, source: 'a shared collection holds any number of tenants' },
};

/** The in-process backend's profile: no limit anywhere, the baseline bands. */
export const memoryDecision: BackendDecision = {
  profile: () => ({
    ceilings: {
      'collection-per-tenant': { value: Number.POSITIVE_INFINITY, source: 'in-process maps have no collection limit' },
      'namespace-per-tenant': { value: Number.POSITIVE_INFINITY, source: 'in-process maps have no partition limit' },
      ...sharedCeilings,
    },
    collectionPreferredBelow: baselineBands.collectionBelow,
    namespacePreferredUpTo: baselineBands.namespaceUpTo,
    dedicatedAbove: { value: Number.POSITIVE_INFINITY, source: 'in-process: nothing to gain from dedicated storage' },
    keyword: { statistics: 'scope', source: 'exact BM25 over the records within the walls (memory-backend.ts)' },
  }),
};
