import { fileCheckpoint, migrateTenants } from '@tenantvec/tiered';
import { UsageError, type CommandIo } from '../command-io.js';
import { openStore } from '../open-store.js';
import { parseOptions, required, wholeNumber } from '../parse-options.js';
import { progressLine } from '../progress-line.js';
import { counted } from '../counted.js';

export const migrateHelp = `Usage: tenantvec migrate (--tenant ID | --all) --from A.json --to B.json [options]

Copies tenants from the store config A describes to the one B describes — another strategy,
another backend. A checkpoint is written after every page: rerun the same command after any
failure and it resumes.

Options:
  --tenant ID          one tenant (repeatable)
  --all                every tenant of the source
  --from FILE          the source store config (required)
  --to FILE            the target store config (required)
  --verify             compare count and content checksum of each tenant after its copy
  --move               drop each tenant from the source once verified (needs --verify)
  --concurrency N      tenants at once (default 2)
  --checkpoint FILE    where progress is kept (default tenantvec-migrate.checkpoint.json)
  --json               print the report as JSON
  -h, --help           show this help
`;

export async function migrateCommand(argv: string[], io: CommandIo): Promise<number> {
  const options = parseOptions(argv, {
    tenant: { type: 'string', multiple: true }, all: { type: 'boolean' }, from: { type: 'string' }, to: { type: 'string' },
    verify: { type: 'boolean' }, move: { type: 'boolean' }, concurrency: { type: 'string' }, checkpoint: { type: 'string' },
  });
  if (options.flag('help')) {
    io.stdout(migrateHelp);
    return 0;
  }
  const tenants = options.list('tenant');
  if ((tenants.length > 0) === options.flag('all')) throw new UsageError('give --tenant ID (one or more) or --all, not both.');
  if (options.flag('move') && !options.flag('verify')) throw new UsageError('--move deletes the source: it needs --verify.');
  const concurrency = wholeNumber(options.text('concurrency'), 'concurrency', 1) ?? 2;
  const checkpointFile = options.text('checkpoint') ?? 'tenantvec-migrate.checkpoint.json';
  const from = await openStore(required(options.text('from'), 'from'), io);
  try {
    const to = await openStore(required(options.text('to'), 'to'), io);
    try {
      const progress = progressLine(io, !options.flag('json'));
      const report = await migrateTenants({
        from,
        to,
        ...(tenants.length > 0 ? { tenants } : {}),
        checkpoint: fileCheckpoint(checkpointFile),
        verify: options.flag('verify'),
        move: options.flag('move'),
        concurrency,
        onProgress: (state) => progress.update(`migrating: ${state.tenantsDone}/${state.tenantsTotal} tenants done; ${state.tenantId} ${state.status} ${state.copied} records`),
      });
      progress.done(`migrated ${counted(report.tenants.length, 'tenant')}, ${counted(report.tenants.reduce((sum, tenant) => sum + tenant.copied, 0), 'record')}${options.flag('verify') ? ', verified' : ''}${options.flag('move') ? ', moved' : ''}`);
      if (options.flag('json')) io.stdout(`${JSON.stringify(report)}\n`);
      return 0;
    } finally {
      await to.close();
    }
  } finally {
    await from.close();
  }
}
