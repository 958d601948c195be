import type { DropVerification } from '@tenantvec/core';
import { CommandError, exitCodes, UsageError, type CommandIo } from '../command-io.js';
import { counted } from '../counted.js';
import { withDescribedStore } from '../described-store.js';
import { oneOf, parseOptions, required } from '../parse-options.js';

export const dropHelp = `Usage: tenantvec drop --tenant ID --config FILE --yes [options]

Removes everything of one tenant — records, partitions, collections, per-tenant indexes — and
verifies that it counts 0 afterwards. Cannot be undone: export the tenant first if in doubt.
A tenant that holds no records is not touched: the command says so and exits 1 (a wrong
--tenant or --config is the usual cause).

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
  const report = await withDescribedStore(config, io, options.flag('json'), async (store) => {
    // Counted first: "dropped, 0 records remain" for a tenant that was never there hides a
    // wrong --tenant or a config that points at another database. The drop still runs: a tenant
    // whose records were all deleted may keep an empty collection or partition, and erasure
    // means that goes too (for a tenant that never existed it removes nothing).
    if ((await store.forTenant(tenant).count()) === 0) {
      await store.dropTenant(tenant, { verify: 'none' });
      throw new CommandError('NOTHING_TO_DROP', `${tenant} holds no records in the store ${config} describes: no record dropped (any empty storage of it is removed). Check --tenant and --config.`, exitCodes.failed);
    }
    return store.dropTenant(tenant, { verify });
  });
  const remaining = report.remaining === undefined ? ' (not verified)' : `: ${counted(report.remaining, 'record')} remain${report.remaining === 1 ? 's' : ''}`;
  const others = report.otherTenantsChecked === undefined ? '' : `, ${counted(report.otherTenantsChecked, 'other tenant')} unchanged`;
  io.stdout(options.flag('json') ? `${JSON.stringify(report)}\n` : `dropped ${tenant}${remaining}${others}\n`);
  return 0;
}
