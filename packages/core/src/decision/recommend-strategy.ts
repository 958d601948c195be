import { InvalidArgumentError } from '../errors.js';
import type { StrategyType } from '../isolation-strategy.js';
import { impliedRecords, memoryDecision, type BackendDecision, type Threshold } from './decision-profile.js';

export interface TenantShape {
  /** How many tenants there are or will be. */
  count: number;
  /** Records of the median tenant. */
  median?: number;
  /** Records of the largest tenant. */
  largest?: number;
  /** Tenants per size band: `{ upTo: 1000, tenants: 900 }` = 900 tenants with at most 1,000 records. */
  histogram?: readonly { upTo: number; tenants: number }[];
}

export type Compliance = 'standard' | 'strict' | { dedicated: readonly string[] };

/** What the decision helper reads of a backend: a `BackendDescriptor` is one. */
export interface DecisionSubject {
  type: string;
  decision: BackendDecision;
}

export interface RecommendStrategyInput {
  /**
   * The backend's descriptor (`await loadBackendDescriptor({ type: 'qdrant' })`, or the package's
   * `backendDescriptors`), whose limits decide; the string `'memory'` for the built-in backend.
   */
  backend: DecisionSubject | 'memory';
  /** A plan the backend lists (Pinecone's decide namespaces and indexes). @default the backend's default plan */
  plan?: string;
  tenants: TenantShape;
  /** `strict`: dedicated storage for everyone; `{ dedicated: [...] }`: for the named tenants. @default 'standard' */
  compliance?: Compliance;
  /** Folders inside a tenant are scopes too (`kb/finance/...`). @default false */
  hierarchical?: boolean;
  /** pgvector only: the database is embedded Postgres (PGlite), not a server. @default false */
  embedded?: boolean;
  /**
   * Tenants need keyword or hybrid search with scores that depend on their own documents only:
   * the strategy must keep term statistics apart where the backend shares them. @default false
   */
  keywordSearch?: boolean;
}

export interface DedicatedPlacement {
  strategy: 'collection-per-tenant';
  /** A named tenant... */
  tenant?: string;
  /** ...or every tenant larger than this many records. */
  largerThan?: number;
  /** How many tenants that is, when the histogram tells. */
  tenantCount?: number;
  reason: string;
}

export interface StrategyRecommendation {
  strategy: StrategyType;
  /** Tenants to place in dedicated storage beside the main strategy. */
  dedicated: DedicatedPlacement[];
  reasons: string[];
  warnings: string[];
  thresholds: ({ name: string } & Threshold)[];
}

/** Ordered by how many tenants each holds: moving right never lowers the ceiling. */
const ladder: readonly StrategyType[] = ['collection-per-tenant', 'namespace-per-tenant', 'metadata-filter'];

/**
 * Recommends an isolation strategy from the tenant count and shape, the backend's limits and
 * compliance needs. Every number comes from the backend's decision profile, returned with its source.
 */
export function recommendStrategy(input: RecommendStrategyInput): StrategyRecommendation {
  const subject = validate(input);
  const { tenants } = input;
  const backend = subject.type;
  const compliance = input.compliance ?? 'standard';
  const plans = subject.decision.plans;
  const limits = subject.decision.profile(plans === undefined ? {} : { plan: input.plan ?? plans.default });
  const reasons: string[] = [];
  const warnings: string[] = [];
  const thresholds: StrategyRecommendation['thresholds'] = [];
  const use = (name: string, threshold: Threshold) => {
    if (!thresholds.some((entry) => entry.name === name)) thresholds.push({ name, ...threshold });
    return threshold.value;
  };
  const ceiling = (strategy: StrategyType) => use(`${strategy} ceiling on ${backend}`, limits.ceilings[strategy]);

  let step: number;
  if (compliance === 'strict') {
    step = 0;
    reasons.push('Strict compliance asks for dedicated storage for every tenant: one collection each.');
  } else if (tenants.count < use('collection preferred below', limits.collectionPreferredBelow)) {
    step = 0;
    reasons.push(`${tenants.count.toLocaleString('en')} tenants fit comfortably in one collection each on ${backend}: the strongest walls, per-tenant tuning, deletion by drop.`);
  } else if (tenants.count <= use('namespace preferred up to', limits.namespacePreferredUpTo)) {
    step = 1;
    reasons.push(`${tenants.count.toLocaleString('en')} tenants: one partition each keeps every query to its own tenant's data without a collection per tenant.`);
  } else {
    step = 2;
    reasons.push(`${tenants.count.toLocaleString('en')} tenants: past what partitions hold well on ${backend}, a shared collection with an indexed tenant field scales.`);
  }
  while (tenants.count > ceiling(ladder[step]!)) {
    warnings.push(`${ladder[step]} stops scaling at ${ceiling(ladder[step]!).toLocaleString('en')} tenants on ${backend}; ${tenants.count.toLocaleString('en')} tenants need ${ladder[step + 1]}.`);
    step += 1;
  }
  if (compliance === 'strict' && step > 0) {
    warnings.push(`Strict compliance cannot give ${tenants.count.toLocaleString('en')} tenants a collection each on ${backend}; split them across several clusters or projects for full separation.`);
  }
  let strategy = ladder[step]!;
  if (strategy === 'metadata-filter' && input.hierarchical === true) {
    strategy = 'source-prefix';
    reasons.push('Folders inside tenants are scopes too: source-prefix keeps the tenant and its folders in one exact, indexed path match.');
  }
  if (input.keywordSearch === true) {
    const moved = keywordStep({ step, count: tenants.count, backend, keyword: limits.keyword, ceiling, reasons, warnings });
    if (moved !== step) {
      step = moved;
      strategy = ladder[step]!;
    }
  }
  if (step === 2 && limits.sharedCollectionWarning !== undefined) warnings.push(limits.sharedCollectionWarning);

  if (limits.recordLimit !== undefined) {
    const limit = use(limits.recordLimit.name, limits.recordLimit);
    const records = impliedRecords(tenants);
    if (records !== undefined && records > limit) warnings.push(limits.recordLimit.warning(records));
    else reasons.push(limits.recordLimit.reason);
  }

  const dedicated = dedicatedPlacements(input, strategy, limits.dedicatedAbove, use);
  const dedicatedCollections = dedicated.reduce((sum, placement) => sum + (placement.tenantCount ?? 1), 0);
  if (strategy !== 'collection-per-tenant' && dedicatedCollections > ceiling('collection-per-tenant')) {
    warnings.push(`${dedicatedCollections} dedicated tenants exceed the ${ceiling('collection-per-tenant')} collections ${backend} holds well.`);
  }
  return { strategy, dedicated, reasons, warnings, thresholds };
}

/**
 * The step that keeps term statistics apart: any step where they are per scope, a partition or
 * a collection each where the backend draws them from those. A step the tenant count cannot
 * take is left as it is, with a warning naming what keyword search will do there.
 */
function keywordStep(params: {
  step: number;
  count: number;
  backend: string;
  keyword: { statistics: 'scope' | 'partition' | 'collection'; source: string } | undefined;
  ceiling: (strategy: StrategyType) => number;
  reasons: string[];
  warnings: string[];
}): number {
  const { step, count, backend, keyword, ceiling, reasons, warnings } = params;
  if (keyword === undefined) {
    warnings.push(`${backend} has no keyword search in tenantvec: keyword and hybrid queries are refused (UNSUPPORTED) under every strategy.`);
    return step;
  }
  if (keyword.statistics === 'scope') {
    reasons.push(`Keyword search on ${backend} draws term statistics from the tenant's own records under every strategy (${keyword.source}).`);
    return step;
  }
  const needed = keyword.statistics === 'partition' ? 1 : 0;
  if (step <= needed) {
    reasons.push(`${ladder[step]} gives each tenant its own ${keyword.statistics}, so keyword scores on ${backend} count only its own documents (${keyword.source}).`);
    return step;
  }
  for (let candidate = needed; candidate >= 0; candidate -= 1) {
    if (count <= ceiling(ladder[candidate]!)) {
      reasons.push(`Keyword search on ${backend} draws term statistics from the whole ${keyword.statistics} (${keyword.source}): ${ladder[candidate]} keeps them apart for ${count.toLocaleString('en')} tenants.`);
      return candidate;
    }
  }
  warnings.push(
    `Keyword search on ${backend} draws term statistics from the whole ${keyword.statistics}, which ${ladder[step]} shares: keyword and hybrid queries are refused (TERM_STATISTICS_SHARED) `
    + 'unless keyword.shareTermStatisticsAcrossTenants is set. Tenants in dedicated storage keep their own statistics.',
  );
  return step;
}

function dedicatedPlacements(
  input: RecommendStrategyInput,
  strategy: StrategyType,
  dedicatedAbove: Threshold,
  use: (name: string, threshold: Threshold) => number,
): DedicatedPlacement[] {
  const placements: DedicatedPlacement[] = [];
  if (typeof input.compliance === 'object') {
    for (const tenant of input.compliance.dedicated) {
      placements.push({ strategy: 'collection-per-tenant', tenant, reason: 'compliance: this tenant requires dedicated storage' });
    }
  }
  if (strategy === 'collection-per-tenant') return placements;
  const above = use('dedicated above (records)', dedicatedAbove);
  const largest = input.tenants.largest ?? Math.max(0, ...(input.tenants.histogram ?? []).map((band) => band.upTo));
  if (largest > above) {
    const tenantCount = input.tenants.histogram?.filter((band) => band.upTo > above).reduce((sum, band) => sum + band.tenants, 0);
    placements.push({
      strategy: 'collection-per-tenant',
      largerThan: above,
      ...(tenantCount === undefined ? {} : { tenantCount }),
      reason: `tenants above ${above.toLocaleString('en')} records get their own collection, so their index serves only them and small tenants keep exact, fast scans`,
    });
  }
  return placements;
}

function subjectOf(backend: unknown, fail: (message: string) => never): DecisionSubject {
  if (backend === 'memory') return { type: 'memory', decision: memoryDecision };
  if (typeof backend === 'string') {
    fail(`backend ${JSON.stringify(backend)} is not built in: pass its descriptor, await loadBackendDescriptor({ type: ${JSON.stringify(backend)} })`);
  }
  const subject = backend as Partial<DecisionSubject> | null;
  if (typeof subject?.type !== 'string' || typeof subject.decision?.profile !== 'function') fail("backend must be a backend descriptor or 'memory'");
  return subject as DecisionSubject;
}

function validate(input: RecommendStrategyInput): DecisionSubject {
  const fail = (message: string): never => {
    throw new InvalidArgumentError(`recommendStrategy: ${message}.`);
  };
  const subject = subjectOf(input?.backend, fail);
  const plans = subject.decision.plans;
  if (input.plan !== undefined && !(plans?.names ?? []).includes(input.plan)) {
    fail(plans === undefined ? `${subject.type} has no plans` : `plan must be one of ${plans.names.join(', ')}`);
  }
  const { count, median, largest, histogram } = input.tenants ?? ({} as TenantShape);
  if (!Number.isInteger(count) || count < 1) fail('tenants.count must be a whole number of at least 1');
  for (const [name, value] of [['median', median], ['largest', largest]] as const) {
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) fail(`tenants.${name} must be a non-negative number`);
  }
  if (median !== undefined && largest !== undefined && median > largest) fail('tenants.median cannot exceed tenants.largest');
  if (histogram !== undefined && (!Array.isArray(histogram) || histogram.some((band) => !(band.upTo >= 0) || !Number.isInteger(band.tenants) || band.tenants < 0))) {
    fail('tenants.histogram must list { upTo, tenants } bands with non-negative numbers');
  }
  const compliance = input.compliance;
  if (compliance !== undefined && compliance !== 'standard' && compliance !== 'strict' && !Array.isArray((compliance as { dedicated?: unknown }).dedicated)) {
    fail("compliance must be 'standard', 'strict' or { dedicated: [tenant ids] }");
  }
  return subject;
}
