import { appendFile, readFile, rm, writeFile } from 'node:fs/promises';
import { toJsonLine } from '@tenantvec/core';
import { UsageError, type CommandIo } from '../command-io.js';
import { counted } from '../counted.js';
import { withDescribedStore } from '../described-store.js';
import { newOutput } from '../file-checks.js';
import { parseOptions, required, wholeNumber } from '../parse-options.js';
import { progressLine } from '../progress-line.js';

export const exportHelp = `Usage: tenantvec export --tenant ID --config FILE --out FILE [options]

Writes one tenant's records as JSONL, one record a line (id, vector, text, metadata, source).
After each page the cursor is saved beside the output (FILE.cursor), so --resume continues an
interrupted export where it stopped.

Options:
  --tenant ID       the tenant to export (required)
  --config FILE     the store config (required)
  --out FILE        the JSONL file to write (required)
  --resume          continue an interrupted export into the same file
  --force           overwrite FILE when it exists (without it, an existing FILE is refused)
  --page-size N     records per page (default 500)
  --json            print the report as JSON
  -h, --help        show this help
`;

export async function exportCommand(argv: string[], io: CommandIo): Promise<number> {
  const options = parseOptions(argv, { tenant: { type: 'string' }, config: { type: 'string' }, out: { type: 'string' }, resume: { type: 'boolean' }, force: { type: 'boolean' }, 'page-size': { type: 'string' } });
  if (options.flag('help')) {
    io.stdout(exportHelp);
    return 0;
  }
  const tenant = required(options.text('tenant'), 'tenant');
  const config = required(options.text('config'), 'config');
  const out = await newOutput(required(options.text('out'), 'out'), { option: 'out', overwrite: options.flag('force') || options.flag('resume') });
  const pageSize = wholeNumber(options.text('page-size'), 'page-size', 1) ?? 500;
  const cursorFile = `${out}.cursor`;
  let after: string | undefined;
  let exported = 0;
  if (options.flag('resume')) {
    const saved = await readFile(cursorFile, 'utf8').catch(() => undefined);
    if (saved === undefined) throw new UsageError(`--resume found no ${cursorFile}: start without --resume.`);
    ({ after, exported } = JSON.parse(saved) as { after?: string; exported: number });
  }
  const progress = progressLine(io, !options.flag('json'));
  await withDescribedStore(config, io, options.flag('json'), async (store) => {
    if (!options.flag('resume')) await writeFile(out, '');
    if (after === undefined && options.flag('resume')) return;
    for await (const page of store.forTenant(tenant).exportPages({ pageSize, ...(after === undefined ? {} : { after }) })) {
      if (page.records.length > 0) await appendFile(out, `${page.records.map(toJsonLine).join('\n')}\n`);
      exported += page.records.length;
      await writeFile(cursorFile, JSON.stringify({ after: page.next, exported }));
      progress.update(`exporting ${tenant}: ${counted(exported, 'record')}`);
    }
  });
  await rm(cursorFile, { force: true });
  progress.done(`exported ${tenant}: ${counted(exported, 'record')} to ${out}`);
  if (options.flag('json')) io.stdout(`${JSON.stringify({ tenant, exported, out })}\n`);
  return 0;
}
