import { loadBackendDescriptor, recommendStrategy, type Compliance, type StrategyRecommendation } from '@tenantvec/core';
import type { CommandIo } from '../command-io.js';
import { counted } from '../counted.js';
import { oneOf, parseOptions, required, wholeNumber } from '../parse-options.js';

export const recommendHelp = `Usage: tenantvec recommend --backend NAME --tenants N [options]

Recommends an isolation strategy from the tenant count and shape, the backend's limits and
compliance needs, and explains why, with every threshold it used and where it comes from.

Options:
  --backend TYPE      memory, or a backend type whose package is installed:
                      pgvector, pglite, qdrant, pinecone, weaviate... (required)
  --tenants N         how many tenants there are or will be (required)
  --largest N         records of the largest tenant
  --median N          records of the median tenant
  --plan NAME         the backend's service plan, where its limits depend on one
                      (Pinecone: starter | builder | standard | enterprise; default standard)
  --compliance MODE   standard | strict (default standard)
  --dedicated IDS     comma-separated tenants that require dedicated storage
  --hierarchical      folders inside tenants are scopes too
  --keyword           tenants need keyword or hybrid search, with scores from their own
                      documents only (term statistics kept apart)
  --json              print the recommendation as JSON
  -h, --help          show this help
`;

export async function recommendCommand(argv: string[], io: CommandIo): Promise<number> {
  const options = parseOptions(argv, {
    backend: { type: 'string' },
    tenants: { type: 'string' },
    largest: { type: 'string' },
    median: { type: 'string' },
    plan: { type: 'string' },
    compliance: { type: 'string' },
    dedicated: { type: 'string' },
    hierarchical: { type: 'boolean' },
    keyword: { type: 'boolean' },
  });
  if (options.flag('help')) {
    io.stdout(recommendHelp);
    return 0;
  }
  const backend = required(options.text('backend'), 'backend');
  const count = required(wholeNumber(options.text('tenants'), 'tenants', 1), 'tenants');
  const largest = wholeNumber(options.text('largest'), 'largest');
  const median = wholeNumber(options.text('median'), 'median');
  const mode = oneOf(options.text('compliance'), 'compliance', ['standard', 'strict'] as const);
  const dedicated = options.text('dedicated')?.split(',').map((tenant) => tenant.trim()).filter(Boolean);
  const compliance: Compliance = dedicated !== undefined && dedicated.length > 0 ? { dedicated } : (mode ?? 'standard');

  // The limits live in the backend's own package, found as a config's backend.type is.
  const descriptor = backend === 'memory' ? 'memory' : await loadBackendDescriptor({ type: backend });
  const plan = oneOf(options.text('plan'), 'plan', descriptor === 'memory' ? [] : (descriptor.decision.plans?.names ?? []));
  const recommendation = recommendStrategy({
    backend: descriptor,
    tenants: { count, ...(largest === undefined ? {} : { largest }), ...(median === undefined ? {} : { median }) },
    compliance,
    ...(plan === undefined ? {} : { plan }),
    ...(options.flag('hierarchical') ? { hierarchical: true } : {}),
    ...(options.flag('keyword') ? { keywordSearch: true } : {}),
  });
  io.stdout(options.flag('json') ? `${JSON.stringify({ backend, tenants: count, ...recommendation }, jsonNumbers, 2)}\n` : describe(backend, count, recommendation));
  return 0;
}

/** JSON has no Infinity: say "unbounded". */
function jsonNumbers(_key: string, value: unknown): unknown {
  return value === Number.POSITIVE_INFINITY ? 'unbounded' : value;
}

function describe(backend: string, count: number, recommendation: StrategyRecommendation): string {
  const lines = [`Recommended: ${recommendation.strategy}  (${backend}, ${counted(count, 'tenant')})`, '', 'Why'];
  lines.push(...recommendation.reasons.map((reason) => `  - ${reason}`));
  if (recommendation.warnings.length > 0) lines.push('', 'Warnings', ...recommendation.warnings.map((warning) => `  ! ${warning}`));
  if (recommendation.dedicated.length > 0) {
    lines.push('', 'Dedicated storage');
    for (const placement of recommendation.dedicated) {
      const who = placement.tenant ?? `tenants above ${counted(placement.largerThan!, 'record')}${placement.tenantCount === undefined ? '' : ` (${placement.tenantCount})`}`;
      lines.push(`  - ${who} → ${placement.strategy}: ${placement.reason}`);
    }
  }
  lines.push('', 'Thresholds used');
  const width = Math.max(...recommendation.thresholds.map((threshold) => threshold.name.length));
  for (const threshold of recommendation.thresholds) {
    const value = Number.isFinite(threshold.value) ? threshold.value.toLocaleString('en') : 'unbounded';
    lines.push(`  ${threshold.name.padEnd(width)}  ${value.padStart(9)}  ${threshold.source}`);
  }
  return `${lines.join('\n')}\n`;
}
