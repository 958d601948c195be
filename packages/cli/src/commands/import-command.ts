import { createReadStream } from 'node:fs';
import { importTenant } from '@tenantvec/core';
import type { CommandIo } from '../command-io.js';
import { counted } from '../counted.js';
import { existingInput } from '../file-checks.js';
import { withDescribedStore } from '../described-store.js';
import { parseOptions, required, wholeNumber } from '../parse-options.js';
import { progressLine } from '../progress-line.js';

export const importHelp = `Usage: tenantvec import --tenant ID --config FILE --in FILE [options]

Loads a JSONL export into a tenant. Idempotent: records are upserted by id, so importing the
same file twice, or rerunning a failed import, leaves the same records. A bad line stops the
import and is named by its line number. On a backend that defers index builds (Postgres:
pgvector, pglite) the import is a bulk load: a tenant that crosses the index threshold gets its
vector index once, at the end, at its full size (the report says how many were built).

Options:
  --tenant ID        the tenant to load into (required)
  --config FILE      the store config (required)
  --in FILE          the JSONL file (required)
  --batch-size N     records per write (default 500)
  --json             print the report as JSON
  -h, --help         show this help
`;

export async function importCommand(argv: string[], io: CommandIo): Promise<number> {
  const options = parseOptions(argv, { tenant: { type: 'string' }, config: { type: 'string' }, in: { type: 'string' }, 'batch-size': { type: 'string' } });
  if (options.flag('help')) {
    io.stdout(importHelp);
    return 0;
  }
  const tenant = required(options.text('tenant'), 'tenant');
  const config = required(options.text('config'), 'config');
  const input = await existingInput(required(options.text('in'), 'in'), 'in');
  const batchSize = wholeNumber(options.text('batch-size'), 'batch-size', 1) ?? 500;
  const progress = progressLine(io, !options.flag('json'));
  const { report, indexesBuilt } = await withDescribedStore(config, io, options.flag('json'), async (store, backend) => {
    const load = () =>
      importTenant({ scope: store.forTenant(tenant), from: { jsonl: createReadStream(input) }, batchSize, onProgress: (imported) => progress.update(`importing ${tenant}: ${counted(imported, 'record')}`) });
    if (backend.bulkLoad === undefined) return { report: await load(), indexesBuilt: undefined };
    // One index build at the end, at the tenant's full size, rather than upkeep row by row.
    const loaded = await backend.bulkLoad({ load, onIndexBuild: ({ done, total }) => progress.update(`importing ${tenant}: ${done} of ${counted(total, 'vector index', 'vector indexes')} built`) });
    return { report: loaded.value, indexesBuilt: loaded.indexesBuilt };
  });
  const built = indexesBuilt === undefined || indexesBuilt === 0 ? '' : `, built ${counted(indexesBuilt, 'vector index', 'vector indexes')}`;
  progress.done(`imported ${counted(report.imported, 'record')} into ${tenant}${built}`);
  if (options.flag('json')) io.stdout(`${JSON.stringify({ tenant, ...report, ...(indexesBuilt === undefined ? {} : { indexesBuilt }) })}\n`);
  return 0;
}
