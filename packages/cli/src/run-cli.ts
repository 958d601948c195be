import { TenantVecError } from '@tenantvec/core';
import { exitCodes, UsageError, type CommandIo } from './command-io.js';
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

Every command takes --json and --help. Exit codes: 0 done, 1 failed, 2 bad command line.
`;

/** Runs one command line; returns the exit code instead of exiting, so tests can call it. */
export async function runCli(argv: string[], io: CommandIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp);
    return name === undefined ? exitCodes.usage : exitCodes.ok;
  }
  const command = commands[name];
  if (command === undefined) {
    io.stderr(`tenantvec: unknown command ${JSON.stringify(name)}\n\n${mainHelp}`);
    return exitCodes.usage;
  }
  try {
    return await command.run(rest, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`tenantvec ${name}: ${error.message}\n\n${command.help}`);
      return exitCodes.usage;
    }
    // A config that does not say what it means is a mistake of the command line's input, like a
    // bad flag: exit 2, never 1 as if a database had been reached and had failed.
    if (TenantVecError.isInstance(error)) {
      const code = error.code === 'CONFIGURATION' ? exitCodes.usage : exitCodes.failed;
      io.stderr(rest.includes('--json') ? `${JSON.stringify({ error: { code: error.code, message: error.message } })}\n` : `tenantvec ${name}: ${error.message} (${error.code})\n`);
      return code;
    }
    throw error;
  }
}
