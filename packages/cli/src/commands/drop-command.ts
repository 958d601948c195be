import type { DropVerification } from '@tenantvec/core';
import { UsageError, type CommandIo } from '../command-io.js';
import { withDescribedStore } from '../described-store.js';
import { oneOf, parseOptions, required } from '../parse-options.js';

export const dropHelp = `Usage: tenantvec drop --tenant ID --config FILE --yes [options]

Removes everything of one tenant — records, partitions, collections, per-tenant indexes — and
verifies that it counts 0 afterwards. Cannot be undone: export the tenant first if in doubt.

Options:
  --tenant ID        the tenant to remove (required)
  --config FILE      the store config (.json, .yaml, .yml) (required)
  --yes              confirm; nothing happens without it
  --verify MODE      tenant (default): the tenant counts 0 afterwards;
                     all: also every other tenant's count is unchanged (slow; quiet periods only);
                     none: no check
  --json             print the report as JSON
  -h, --help         show this help
`;

export async function dropCommand(argv: string[], io: CommandIo): Promise<number> {
  const options = parseOptions(argv, { tenant: { type: 'string' }, config: { type: 'string' }, yes: { type: 'boolean' }, verify: { type: 'string' } });
  if (options.flag('help')) {
    io.stdout(dropHelp);
    return 0;
  }
  const tenant = required(options.text('tenant'), 'tenant');
  const config = required(options.text('config'), 'config');
  const verify: DropVerification = oneOf(options.text('verify'), 'verify', ['none', 'tenant', 'all'] as const) ?? 'tenant';
  if (!options.flag('yes')) throw new UsageError(`dropping ${tenant} cannot be undone: add --yes to confirm.`);
  const report = await withDescribedStore(config, io, options.flag('json'), (store) => store.dropTenant(tenant, { verify }));
  io.stdout(options.flag('json')
    ? `${JSON.stringify(report)}\n`
    : `dropped ${tenant}${report.remaining === undefined ? ' (not verified)' : `: ${report.remaining} records remain`}${report.otherTenantsChecked === undefined ? '' : `, ${report.otherTenantsChecked} other tenants unchanged`}\n`);
  return 0;
}
