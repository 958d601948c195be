import type { CommandIo } from '../command-io.js';
import { openPrepared, prepareStore } from '../described-store.js';
import { parseOptions, required, wholeNumber } from '../parse-options.js';
import { counted } from '../counted.js';

export const inspectHelp = `Usage: tenantvec inspect --config FILE [options]

Connects to the store a config file describes and reports where it is, its strategy, backend
health and tenants with their record counts. Reads only: on Postgres it opens without migrating
and creates nothing (on a database without the tenantvec schema it says so).

Options:
  --config FILE   a store config (.json, .yaml, .yml); \${ENV} references are resolved
  --limit N       tenants to list, at most (default 100)
  --json          print the report as JSON
  -h, --help      show this help
`;

export async function inspectCommand(argv: string[], io: CommandIo): Promise<number> {
  const options = parseOptions(argv, { config: { type: 'string' }, limit: { type: 'string' } });
  if (options.flag('help')) {
    io.stdout(inspectHelp);
    return 0;
  }
  const file = required(options.text('config'), 'config');
  const limit = wholeNumber(options.text('limit'), 'limit', 1) ?? 100;
  const json = options.flag('json');
  // With --json the location is a field of the report; stdout stays one JSON document.
  const prepared = await prepareStore({ file, io, readOnly: true });
  if (!json) io.stdout(`${prepared.location}\n`);
  const store = await openPrepared(prepared);
  try {
    const started = performance.now();
    const { tenants, next } = await store.listTenants({ limit });
    const roundTripMs = performance.now() - started;
    const counts = [];
    for (const tenant of tenants) counts.push({ tenant, records: await store.forTenant(tenant).count() });
    // A backend with a measured size past which another is the right choice (embedded Postgres): say so.
    const listed = counts.reduce((sum, { records }) => sum + records, 0);
    const { recordLimit } = prepared;
    const warnings = recordLimit !== undefined && listed > recordLimit.value ? [`${next === undefined ? '' : 'At least: '}${recordLimit.warning(listed)}`] : [];
    const report = {
      config: file,
      location: prepared.description,
      backend: store.backend,
      strategy: store.strategy,
      dimension: store.dimension,
      metric: store.metric,
      health: { ok: true, listTenantsMs: Math.round(roundTripMs * 10) / 10 },
      tenants: counts,
      more: next !== undefined,
      warnings,
      ...(store.recommendation === undefined ? {} : { recommendation: store.recommendation }),
    };
    if (json) {
      io.stdout(`${JSON.stringify(report, null, 2)}\n`);
    } else {
      const lines = [
        `store: ${store.strategy} on ${store.backend}, ${store.dimension} dimensions, ${store.metric}`,
        `health: ok (tenants listed in ${report.health.listTenantsMs} ms)`,
        `tenants: ${counts.length}${report.more ? `+ (first ${limit})` : ''}`,
        ...counts.map(({ tenant, records }) => `  ${tenant.padEnd(32)} ${counted(records, 'record').padStart(18)}`),
        ...warnings.map((warning) => `warning: ${warning}`),
      ];
      io.stdout(`${lines.join('\n')}\n`);
    }
    return 0;
  } finally {
    await store.close();
  }
}
