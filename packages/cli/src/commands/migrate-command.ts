import { readStoreConfig, substituteEnvironment } from '@tenantvec/core';
import { CheckpointMismatchError, fileCheckpoint, migrateTenants, migrationFingerprint } from '@tenantvec/tiered';
import { exitCodes, UsageError, type CommandIo } from '../command-io.js';
import { counted } from '../counted.js';
import { openPrepared, prepareStore } from '../described-store.js';
import { parseOptions, required, wholeNumber } from '../parse-options.js';
import { progressLine } from '../progress-line.js';

export const migrateHelp = `Usage: tenantvec migrate (--tenant ID | --all) --from A.json --to B.json [options]

Copies tenants from the store config A describes to the one B describes — another strategy,
another backend. A checkpoint is written after every page: rerun the same command after any
failure and it resumes. The checkpoint is bound to this source and target (a hash of both
configs, without their secrets, and of where each store is): one made for another migration is
refused (exit 2).

Options:
  --tenant ID          one tenant (repeatable)
  --all                every tenant of the source
  --from FILE          the source store config (required)
  --to FILE            the target store config (required)
  --verify             compare count and content checksum of each tenant after its copy
  --move               drop each tenant from the source once verified (needs --verify).
                       Stop the tenant's writers first: this command cannot fence them. It
                       re-checks the source just before the drop and refuses if it changed,
                       but a write acknowledged after that check is deleted with the source.
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
  // One first line naming both stores, written to stderr with --json so stdout stays one document.
  const fromFile = required(options.text('from'), 'from');
  const toFile = required(options.text('to'), 'to');
  const source = await prepareStore({ file: fromFile, io });
  const target = await prepareStore({ file: toFile, io });
  (options.flag('json') ? io.stderr : io.stdout)(`from ${source.location} to ${target.location}\n`);
  const from = await openPrepared(source).catch(async (error: unknown) => {
    await target.settings.backend.close();
    throw error;
  });
  try {
    const to = await openPrepared(target);
    try {
      // Resolved configs, so two configs reading different `${DATABASE_URL}`s are two migrations;
      // and where each store is, since a backend may find its server outside the config (a
      // pgvector with no connectionString reads DATABASE_URL, pg reads PGHOST).
      const resolved = async (file: string) => substituteEnvironment(await readStoreConfig(file), io.environment);
      const fingerprint = migrationFingerprint({
        from: { config: await resolved(fromFile), location: source.description },
        to: { config: await resolved(toFile), location: target.description },
      });
      const progress = progressLine(io, !options.flag('json'));
      const report = await migrateTenants({
        from,
        to,
        ...(tenants.length > 0 ? { tenants } : {}),
        checkpoint: fileCheckpoint(checkpointFile),
        fingerprint,
        verify: options.flag('verify'),
        move: options.flag('move'),
        concurrency,
        onProgress: (state) => progress.update(`migrating: ${state.tenantsDone}/${state.tenantsTotal} tenants done; ${state.tenantId} ${state.status} ${state.copied} records`),
      }).catch((error: unknown) => {
        if (!CheckpointMismatchError.isInstance(error)) throw error;
        // The user named the wrong file: one line, no usage text.
        io.stderr(`tenantvec migrate: ${error.message} (${error.code})\n`);
        return undefined;
      });
      if (report === undefined) return exitCodes.usage;
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
