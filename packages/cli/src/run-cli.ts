import { readFileSync } from 'node:fs';
import { TenantVecError } from '@tenantvec/core';
import { CommandError, exitCodes, type CommandIo } from './command-io.js';
import { benchCommand, benchHelp } from './commands/bench-command.js';
import { dropCommand, dropHelp } from './commands/drop-command.js';
import { exportCommand, exportHelp } from './commands/export-command.js';
import { importCommand, importHelp } from './commands/import-command.js';
import { inspectCommand, inspectHelp } from './commands/inspect-command.js';
import { migrateCommand, migrateHelp } from './commands/migrate-command.js';
import { recommendCommand, recommendHelp } from './commands/recommend-command.js';

const commands: Record<string, { run: (argv: string[], io: CommandIo) => Promise<number>; help: string; summary: string }> = {
  recommend: { run: recommendCommand, help: recommendHelp, summary: 'recommend an isolation strategy and explain why' },
  inspect: { run: inspectCommand, help: inspectHelp, summary: 'report a store: strategy, backend health, tenants and counts' },
  export: { run: exportCommand, help: exportHelp, summary: "write a tenant's records as JSONL, resumable" },
  import: { run: importCommand, help: importHelp, summary: 'load a JSONL export into a tenant, idempotently' },
  drop: { run: dropCommand, help: dropHelp, summary: 'remove everything of one tenant and verify it' },
  migrate: { run: migrateCommand, help: migrateHelp, summary: 'copy or move tenants to another config, resumable' },
  bench: { run: benchCommand, help: benchHelp, summary: 'benchmark the isolation strategies side by side on one backend' },
};

export const mainHelp = `Usage: tenantvec <command> [options]

Commands:
${Object.entries(commands).map(([name, command]) => `  ${name.padEnd(10)} ${command.summary}`).join('\n')}

Every command takes --json and --help, and --verbose to show the causes under a failure;
tenantvec --version prints the version.
Exit codes: 0 done, 1 the operation failed, 2 the command line or its input was wrong.
`;

/** Read beside the code (src/ in tests, dist/ when installed): one level up is the package. */
function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

/** Errors that mean the input given was wrong, not that the operation failed. */
const inputErrorCodes = new Set(['CONFIGURATION', 'INVALID_TENANT_ID', 'INVALID_ARGUMENT']);
/** File-system errors a user causes by naming a file; anything else is a bug and keeps its stack. */
const fileErrorCodes = new Set(['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EPERM', 'EEXIST']);

/** The causes under an error, outermost first, each as `Name: message (code)`; loops are cut. */
function causeChain(error: unknown): string[] {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  let cause = (error as { cause?: unknown } | null)?.cause;
  while (cause !== undefined && cause !== null && !seen.has(cause) && lines.length < 10) {
    seen.add(cause);
    const { name, message, code } = cause as { name?: unknown; message?: unknown; code?: unknown };
    lines.push(`${typeof name === 'string' ? name : 'Error'}: ${typeof message === 'string' ? message : String(cause)}${typeof code === 'string' ? ` (${code})` : ''}`);
    cause = (cause as { cause?: unknown }).cause;
  }
  return lines;
}

interface ReportOptions {
  json: boolean;
  /** `--verbose`: the whole chain of causes under the one-line message. */
  verbose: boolean;
}

function reportError(name: string, options: ReportOptions, io: CommandIo, error: { code: string; message: string }): void {
  const causes = options.verbose ? causeChain(error) : [];
  if (options.json) {
    io.stderr(`${JSON.stringify({ error: { code: error.code, message: error.message, ...(causes.length > 0 ? { causes } : {}) } })}\n`);
    return;
  }
  io.stderr(`${name === '' ? 'tenantvec' : `tenantvec ${name}`}: ${error.message} (${error.code})\n${causes.map((line) => `  caused by ${line}\n`).join('')}`);
}

/** Runs one command line; returns the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: string[], io: CommandIo): Promise<number> {
  // --verbose belongs to no command: it only changes how a failure is reported.
  const verbose = argv.includes('--verbose');
  const [name, ...rest] = argv.filter((argument) => argument !== '--verbose');
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp);
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  if (name === '--version') {
    io.stdout(`${version()}\n`);
    return exitCodes.ok;
  }
  const report: ReportOptions = { json: rest.includes('--json'), verbose };
  const command = commands[name];
  if (command === undefined) {
    reportError('', report, io, { code: 'USAGE', message: `unknown command ${JSON.stringify(name)}; the commands are ${Object.keys(commands).join(', ')} (tenantvec --help)` });
    return exitCodes.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof CommandError) {
      const hint = error.code === 'USAGE' ? ` — see tenantvec ${name} --help` : '';
      reportError(name, report, io, { code: error.code, message: `${error.message}${hint}` });
      return error.exitCode;
    }
    // A config that does not say what it means is a mistake of the command line's input, like a
    // bad flag: exit 2, never 1 as if a database had been reached and had failed.
    if (TenantVecError.isInstance(error)) {
      reportError(name, report, io, error);
      return inputErrorCodes.has(error.code) ? exitCodes.usage : exitCodes.failed;
    }
    const systemCode = (error as NodeJS.ErrnoException | undefined)?.code;
    if (typeof systemCode === 'string' && fileErrorCodes.has(systemCode)) {
      reportError(name, report, io, { code: systemCode, message: (error as Error).message });
      return exitCodes.usage;
    }
    throw error;
  }
}
