export { runCli, mainHelp } from './run-cli.js';
export { exitCodes, type CommandIo } from './command-io.js';
