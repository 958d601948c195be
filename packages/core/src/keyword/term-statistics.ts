import { TermStatisticsSharedError, UnsupportedError } from '../errors.js';
import type { Metric } from '../similarity.js';
import type { KeywordSyntax } from '../tenant-scope-types.js';
import type { KeywordCapability, Location, ScopeConstraint } from '../vector-backend.js';

/** The store setting that governs keyword search; see `TenantVectorStoreSettings.keyword`. */
export interface KeywordSettings {
  /**
   * Run keyword and hybrid search even where the backend draws term statistics from every tenant
   * in a shared collection. It gives away, through one tenant's scores, roughly how many of the
   * other tenants' documents hold each query term. @default false
   */
  shareTermStatisticsAcrossTenants?: boolean;
}

/**
 * Whether a tenant's keyword scores depend only on its own records here. `tenantScope` is the
 * tenant's placement scope (not narrowed to a folder): empty when its location holds no one else.
 */
export function termStatisticsIsolated(params: {
  capability: KeywordCapability;
  tenantScope: ScopeConstraint;
  location: Location;
}): boolean {
  const { capability, tenantScope, location } = params;
  const alone = tenantScope.tenant === undefined && tenantScope.sourcePrefix === undefined;
  switch (capability.statistics) {
    case 'scope': return true;
    case 'partition': return alone;
    case 'collection': return alone && location.partition === undefined;
  }
}

/** Refuses keyword search, before any I/O, where it is missing or would share statistics unasked. */
export function assertKeywordAllowed(params: {
  backend: { name: string; capabilities: { keyword?: KeywordCapability }; rawKeywordQuery?: unknown };
  strategy: string;
  tenantScope: ScopeConstraint;
  location: Location;
  /** The store's metric: some backends search keywords only in indexes of certain metrics. */
  metric: Metric;
  /** How the query's text is read. @default 'terms' */
  syntax?: KeywordSyntax;
  settings: KeywordSettings;
}): void {
  const { backend, strategy } = params;
  const capability = backend.capabilities.keyword;
  if (capability === undefined || typeof backend.rawKeywordQuery !== 'function') {
    throw new UnsupportedError(`The ${backend.name} backend has no keyword search, so keyword and hybrid queries cannot run on it.`);
  }
  if (capability.metrics !== undefined && !capability.metrics.includes(params.metric)) {
    throw new UnsupportedError(
      `The ${backend.name} backend searches keywords only in collections whose metric is ${capability.metrics.map((metric) => `'${metric}'`).join(' or ')}; this store's metric is '${params.metric}'. `
      + (capability.metrics.includes('dot') && params.metric === 'cosine' ? 'With vectors normalised to length 1, metric \'dot\' ranks exactly as cosine does. ' : '')
      + 'Keyword and hybrid queries cannot run on this store.',
    );
  }
  const syntax = params.syntax ?? 'terms';
  if (!(capability.syntaxes ?? ['terms']).includes(syntax)) {
    throw new UnsupportedError(`The ${backend.name} backend does not read keyword queries as ${syntax}; it reads them as ${(capability.syntaxes ?? ['terms']).join(' or ')} (keywordSyntax).`);
  }
  if (params.settings.shareTermStatisticsAcrossTenants === true) return;
  if (!termStatisticsIsolated({ capability, tenantScope: params.tenantScope, location: params.location })) {
    throw new TermStatisticsSharedError(
      `The ${backend.name} backend computes keyword term statistics over the whole ${capability.statistics}, which the ${strategy} strategy shares between tenants, `
      + 'so one tenant\'s scores would reveal how many of other tenants\' documents hold a term. '
      + 'Use a strategy that gives each tenant its own ' + (capability.statistics === 'partition' ? 'partition or collection' : 'collection')
      + ', or set keyword.shareTermStatisticsAcrossTenants: true to accept that.',
    );
  }
}
